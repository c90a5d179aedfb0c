using CcmPlatform.Contracts;
using CcmPlatform.Scheduling.Data;
using CcmPlatform.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CcmPlatform.Scheduling.Tests;

public sealed class ConsumerTests(ServiceFactory<Program, SchedulingDbContext> factory) : IClassFixture<ServiceFactory<Program, SchedulingDbContext>>
{
    [Fact]
    public async Task GivenPatientsEventsOnTheBus_WhenConsumedTwice_ThenReadModelsHoldOneCopy()
    {
        await factory.WaitHealthyAsync();
        var bus = factory.Services.GetRequiredService<IBus>();
        var practiceId = Guid.NewGuid();
        var patientId = Guid.NewGuid();
        var consentId = Guid.NewGuid();
        var now = DateTime.UtcNow;

        await bus.Publish(new PracticeCreated(practiceId, "Bus practice", "America/Chicago", false));
        await bus.Publish(new PatientRegistered(practiceId, patientId, "Ada", "Bus", new DateOnly(1950, 1, 1), "F", [], now));
        var consent = new ConsentRecorded(practiceId, patientId, consentId, CareProgram.Ccm, Guid.NewGuid(), "verbal", Guid.NewGuid(), now.AddDays(-3), now);
        await bus.Publish(consent);
        await bus.Publish(consent);
        await bus.Publish(new LedgerUpdated(practiceId, patientId, 2025, 3, 22, 3, null, 6000, now));

        await TestInfrastructure.Eventually(
            () => factory.WithDb(async db => (await db.Practices.CountAsync(p => p.Id == practiceId), await db.Patients.CountAsync(p => p.Id == patientId), await db.Consents.CountAsync(c => c.PatientId == patientId), await db.Ledgers.CountAsync(l => l.PatientId == patientId))),
            counts => counts == (1, 1, 1, 1),
            TimeSpan.FromSeconds(30),
            "read models filled");

        await bus.Publish(new ConsentRevoked(practiceId, patientId, consentId, CareProgram.Ccm, now.AddDays(-1), now));
        await TestInfrastructure.Eventually(
            () => factory.WithDb(db => db.Consents.Where(c => c.Id == consentId).Select(c => c.RevokedAt).SingleAsync()),
            revoked => revoked is not null,
            TimeSpan.FromSeconds(30),
            "revocation applied");
    }
}
