using System.Net;
using CcmPlatform.Medications.Data;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Medications.Tests;

/// <summary>The request examples in /docs are meant to be pasted: sent with real ids, the service accepts each.</summary>
public sealed class OpenApiExampleTests(ServiceFactory<Program, MedicationsDbContext> factory) : IClassFixture<ServiceFactory<Program, MedicationsDbContext>>
{
    [Fact]
    public async Task GivenAKnownPatient_WhenTheAddMedicationAndReconciliationExamplesArePosted_ThenBothAreAccepted()
    {
        var (patientId, practiceId) = (Guid.NewGuid(), Guid.NewGuid());
        await factory.WithDb(db =>
        {
            db.Patients.Add(new PatientView { Id = patientId, PracticeId = practiceId });
            return db.SaveChangesAsync();
        });
        var client = await factory.MemberAsync("care-coordinator", practiceId);
        var add = await OpenApiDocuments.RequestExampleAsync(factory.Services, "POST", "/api/medications/patients/{patientId}/medications");
        var reconcile = await OpenApiDocuments.RequestExampleAsync(factory.Services, "POST", "/api/medications/patients/{patientId}/reconciliations");

        var added = await client.PostAsync($"/api/medications/patients/{patientId}/medications", add);
        var reconciled = await client.PostAsync($"/api/medications/patients/{patientId}/reconciliations", reconcile);

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.Created, reconciled.StatusCode);
    }
}
