using System.Text.Json;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.Patients.Data;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Patients.Tests;

public sealed class EnrollmentHistoryOrderTests
{
    [Fact]
    public void GivenChangesRecordedAtTheSameInstant_WhenOrderedFromAnyLoadOrder_ThenTheyKeepTheOrderTheyWereMade()
    {
        var at = new DateTime(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc);
        EnrollmentState[] made = [EnrollmentState.Candidate, EnrollmentState.Eligible, EnrollmentState.Enrolled, EnrollmentState.Disenrolled, EnrollmentState.Enrolled];
        var enrollment = new Enrollment { Id = Guid.CreateVersion7(at), PatientId = Guid.NewGuid(), Program = CareProgram.Ccm };
        foreach (var state in made)
        {
            enrollment.MoveTo(state, Guid.NewGuid(), at, at, null);
        }

        Assert.Equal([1, 2, 3, 4, 5], enrollment.History.Select(h => h.Sequence));
        // A database returns rows in no promised order; ids of one millisecond sort at random.
        Assert.Equal(made, EnrollmentStateChange.InOrder(enrollment.History.OrderBy(h => h.Id)).Select(h => h.To));
        Assert.Equal(made, EnrollmentStateChange.InOrder(enrollment.History.AsEnumerable().Reverse()).Select(h => h.To));
    }
}

public sealed class EnrollmentHistoryTests(PatientsFactory factory) : IClassFixture<PatientsFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => factory.WaitHealthyAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task GivenAnImportThatSuggestsEnrollment_WhenThePatientIsRead_ThenCandidateComesBeforeEligible_WithStoredSequences()
    {
        var admin = factory.ClientAs(Roles.Admin);
        var practiceId = await Api.CreatePracticeAsync(admin);
        var clinical = await Api.MemberAsync(factory, admin, practiceId);
        await Api.AddPractitionerAsync(admin, practiceId);
        var patientId = (await Api.ImportSampleAsync(clinical, practiceId, "Edward_Gulgowski")).GetProperty("patientId").GetGuid();

        var detail = JsonDocument.Parse(await clinical.GetStringAsync($"/api/patients/patients/{patientId}")).RootElement;
        var history = Assert.Single(detail.GetProperty("enrollments").EnumerateArray()).GetProperty("history").EnumerateArray().ToList();

        Assert.Equal(["Candidate", "Eligible"], history.Select(h => h.GetProperty("to").GetString()));
        Assert.Equal(history[0].GetProperty("recordedAt").GetDateTime(), history[1].GetProperty("recordedAt").GetDateTime());
        var stored = await factory.WithDb(db => db.Enrollments.Where(e => e.PatientId == patientId).SelectMany(e => e.History).OrderBy(h => h.Sequence).Select(h => new { h.Sequence, h.To }).ToListAsync());
        Assert.Equal([(1, EnrollmentState.Candidate), (2, EnrollmentState.Eligible)], stored.Select(s => (s.Sequence, s.To)));
    }
}
