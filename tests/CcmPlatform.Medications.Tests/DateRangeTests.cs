using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.Medications.Data;
using CcmPlatform.Medications.Domain;
using CcmPlatform.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Medications.Tests;

/// <summary>DATE_OUT_OF_RANGE (docs/rules.md): medication changes and reconciliations are care-team records, none before 2015-01-01.</summary>
public sealed class DateRangeTests(ServiceFactory<Program, MedicationsDbContext> factory) : IClassFixture<ServiceFactory<Program, MedicationsDbContext>>
{
    private static readonly DateTime YearOne = new(1, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime LastBeforeCcm = new(2014, 12, 31, 23, 59, 0, DateTimeKind.Utc);
    private static readonly DateTime CcmBegan = new(2015, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private async Task<(Guid PatientId, HttpClient Client)> SeedPatientAsync()
    {
        var (id, practiceId) = (Guid.NewGuid(), Guid.NewGuid());
        await factory.WithDb(db =>
        {
            db.Patients.Add(new PatientView { Id = id, PracticeId = practiceId });
            return db.SaveChangesAsync();
        });
        return (id, await factory.MemberAsync("care-coordinator", practiceId));
    }

    private static async Task AssertOutOfRangeAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("DATE_OUT_OF_RANGE", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("occurredAt", out _), problem.ToString());
    }

    [Fact]
    public async Task GivenAMedicationAddedInYearOneOrJustBeforeTheCcmCodes_WhenAdded_Then422NamingOccurredAt_AndNothingSaved_WhileTheFirstDayIsAccepted()
    {
        var (patientId, client) = await SeedPatientAsync();
        var url = $"/api/medications/patients/{patientId}/medications";

        await AssertOutOfRangeAsync(await client.PostAsJsonAsync(url, new { rxNormCode = "849574", display = "Naproxen", status = "active", occurredAt = YearOne }));
        await AssertOutOfRangeAsync(await client.PostAsJsonAsync(url, new { rxNormCode = "849574", display = "Naproxen", status = "active", occurredAt = LastBeforeCcm }));
        Assert.Equal(0, await factory.WithDb(db => db.Medications.CountAsync(m => m.PatientId == patientId)));

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync(url, new { rxNormCode = "849574", display = "Naproxen", status = "active", occurredAt = CcmBegan })).StatusCode);
        Assert.Equal(CcmBegan, await factory.WithDb(db => db.Medications.Where(m => m.PatientId == patientId).Select(m => m.OccurredAt).SingleAsync()));
    }

    [Fact]
    public async Task GivenAStatusChangeOrReconciliationDatedBeforeTheCcmCodes_WhenSent_Then422NamingOccurredAt_AndNothingChanged()
    {
        var (patientId, client) = await SeedPatientAsync();
        var naproxen = await (await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "849574", display = "Naproxen", status = "active" })).Content.ReadFromJsonAsync<JsonElement>();
        var medicationId = naproxen.GetProperty("id").GetGuid();

        await AssertOutOfRangeAsync(await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications/{medicationId}/status", new { status = "stopped", occurredAt = YearOne }));
        await AssertOutOfRangeAsync(await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/reconciliations", new
        {
            occurredAt = LastBeforeCcm,
            discrepancies = "naproxen stopped",
            changes = new[] { new { medicationId, status = "stopped" } },
        }));

        Assert.Equal(MedicationStatus.Active, await factory.WithDb(db => db.Medications.Where(m => m.Id == medicationId).Select(m => m.Status).SingleAsync()));
        Assert.Equal(0, await factory.WithDb(db => db.Reconciliations.CountAsync(r => r.PatientId == patientId)));

        var accepted = await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/reconciliations", new { occurredAt = CcmBegan, discrepancies = "none", changes = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(CcmBegan, await factory.WithDb(db => db.Reconciliations.Where(r => r.PatientId == patientId).Select(r => r.OccurredAt).SingleAsync()));
    }
}
