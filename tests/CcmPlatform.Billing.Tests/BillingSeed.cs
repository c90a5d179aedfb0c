using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.Billing.Data;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CcmPlatform.Billing.Tests;

/// <summary>One CCM patient built from real contract events on RabbitMQ: the §8 defaults (Part B, ≥2 conditions, consent, signed shared plan).</summary>
public sealed class BillingSeed(ServiceFactory<Program, BillingDbContext> factory)
{
    public const string NpiB = "1234567893";
    public const string NpiA = "1987654328";

    public Guid PracticeId { get; } = Guid.NewGuid();
    public Guid PatientId { get; } = Guid.NewGuid();
    public Guid PractitionerId { get; } = Guid.NewGuid();
    public Guid OtherPractitionerId { get; } = Guid.NewGuid();
    public Guid NurseId { get; } = Guid.NewGuid();

    public IBus Bus => factory.Services.GetRequiredService<IBus>();

    /// <summary>Billing staff of this practice: the practice claim scopes them (billing actions need no roster entry).</summary>
    public HttpClient Billing() => factory.ClientAs(Roles.Billing, practiceId: PracticeId);

    /// <param name="seenBefore">False leaves out the earlier visit, so the patient needs an initiating visit (R-INIT-1).</param>
    public async Task PatientAsync(DateTime? since = null, bool seenBefore = true, string payer = "Medicare")
    {
        await factory.WaitHealthyAsync();
        var bus = Bus;
        var t0 = since ?? new DateTime(2025, 1, 2, 15, 0, 0, DateTimeKind.Utc);
        var now = DateTime.UtcNow;
        await bus.Publish(new PracticeCreated(PracticeId, "Test practice", "America/New_York", false));
        await bus.Publish(new RosterMemberRegistered(PracticeId, PractitionerId, "Dr B", RosterKind.Practitioner, "MD", NpiB, "Physician", new DateOnly(2020, 1, 1), []));
        await bus.Publish(new RosterMemberRegistered(PracticeId, OtherPractitionerId, "Dr A", RosterKind.Practitioner, "MD", NpiA, "Physician", new DateOnly(2020, 1, 1), []));
        await bus.Publish(new RosterMemberRegistered(PracticeId, NurseId, "Nurse N", RosterKind.ClinicalStaff, "RN", null, null, new DateOnly(2020, 1, 1), []));
        await bus.Publish(new PatientRegistered(PracticeId, PatientId, "Ada", "Lovelace", new DateOnly(1945, 5, 1), "F", [], now));
        await bus.Publish(new ConditionsChanged(PracticeId, PatientId,
        [
            new ConditionFact(Guid.NewGuid(), null, "Type 2 diabetes", "E11.9", "diabetes", true, new DateOnly(2010, 1, 1), null),
            new ConditionFact(Guid.NewGuid(), null, "Heart failure", "I50.9", "heart-failure", true, new DateOnly(2015, 1, 1), null),
        ], t0));
        await bus.Publish(new CoverageRecorded(PracticeId, PatientId, Guid.NewGuid(), payer, "1EG4TE5MK73", new DateOnly(2010, 5, 1), null, false, t0, now));
        await bus.Publish(new BillingPractitionerAssigned(PracticeId, PatientId, Guid.NewGuid(), PractitionerId, t0, t0, now));
        await bus.Publish(new ConsentRecorded(PracticeId, PatientId, Guid.NewGuid(), CareProgram.Ccm, PractitionerId, "verbal", NurseId, t0, now));
        await bus.Publish(new PatientEnrolled(PracticeId, PatientId, CareProgram.Ccm, t0, now));
        if (seenBefore)
        {
            await bus.Publish(new VisitHistoryRecorded(PracticeId, PatientId, Guid.NewGuid(), "99213", NpiB, t0.AddMonths(-2)));
        }

        var planId = Guid.NewGuid();
        await bus.Publish(new CarePlanActivated(PracticeId, PatientId, planId, 1, PractitionerId, t0, true, now));
        await bus.Publish(new CarePlanShared(PracticeId, PatientId, planId, 1, "portal", t0.AddHours(1), now));

        await TestInfrastructure.Eventually(
            () => factory.WithDb(async db =>
                (await db.Practices.CountAsync(p => p.PracticeId == PracticeId))
                + await db.Roster.CountAsync(r => r.PracticeId == PracticeId)
                + await db.Patients.CountAsync(p => p.PatientId == PatientId && p.Conditions != "" && p.GivenName != "")
                + await db.Coverages.CountAsync(c => c.PatientId == PatientId)
                + await db.Assignments.CountAsync(c => c.PatientId == PatientId)
                + await db.Consents.CountAsync(c => c.PatientId == PatientId)
                + await db.Enrollments.CountAsync(c => c.PatientId == PatientId)
                + await db.Visits.CountAsync(c => c.PatientId == PatientId)
                + await db.CarePlanVersions.CountAsync(c => c.PatientId == PatientId)
                + await db.CarePlanShares.CountAsync(c => c.PatientId == PatientId)),
            n => n == (seenBefore ? 12 : 11), TestInfrastructure.Convergence, "seed facts consumed");
    }

    public TimeEntryRecorded Entry(DateTime startUtc, int minutes) =>
        new(PracticeId, PatientId, Guid.NewGuid(), NurseId, RosterKind.ClinicalStaff, CareProgram.Ccm, startUtc, minutes, "call", ["E11.9"], DateTime.UtcNow);

    public Task<int> EntryCountAsync() => factory.WithDb(db => db.TimeEntries.CountAsync(e => e.PatientId == PatientId));

    public async Task WaitForEntriesAsync(int count) =>
        await TestInfrastructure.Eventually(EntryCountAsync, n => n >= count, TestInfrastructure.Convergence, $"{count} time entries consumed");

    public string MonthPath(string month) => $"/api/billing/practices/{PracticeId}/months/{month}";

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> PostJsonAsync(HttpClient client, string path, object? body = null) =>
        await JsonAsync(await client.PostAsJsonAsync(path, body ?? new { }));
}
