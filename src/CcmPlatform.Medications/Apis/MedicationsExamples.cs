using CcmPlatform.Infrastructure.Hosting;

namespace CcmPlatform.Medications.Apis;

/// <summary>
/// OpenAPI examples for Medications' bodies, with RxNorm concept ids (855332 is warfarin sodium 5 MG
/// oral tablet). The reconciliation's first change names the medication by id and by RxNorm code, so
/// it is accepted whether or not that id is on the patient's list (an unknown id adds the entry).
/// </summary>
public sealed class MedicationsExamples : OpenApiExampleSet
{
    private static readonly DateTime At = new(2025, 3, 4, 15, 30, 0, DateTimeKind.Utc);

    public MedicationsExamples()
    {
        Add(new MedicationRequest("855332", "warfarin sodium 5 MG Oral Tablet", "active", At));
        Add(new StatusRequest("stopped", At));
        Add(new ReconciliationRequest(
            At,
            "Patient stopped ibuprofen two weeks ago; amlodipine started by cardiology was missing from the list.",
            [
                new ReconciliationChange(Guid.Parse("4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a"), "310965", "ibuprofen 200 MG Oral Tablet", "stopped"),
                new ReconciliationChange(null, "197361", "amlodipine 5 MG Oral Tablet", "active"),
            ]));
        Add(new AcknowledgeRequest("INR checked weekly; prescriber aware of the combination.", At));
    }
}
