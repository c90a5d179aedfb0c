using CcmPlatform.Infrastructure.Hosting;

namespace CcmPlatform.Medications.Apis;

/// <summary>
/// OpenAPI examples for Medications' bodies, with RxNorm concept ids (855332 is warfarin sodium 5 MG
/// oral tablet). A reconciliation change names an entry by medicationId (refused when not on the patient's
/// list) or, as here, by RxNorm code alone, so the example is accepted for any patient.
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
                new ReconciliationChange(null, "310965", "ibuprofen 200 MG Oral Tablet", "stopped"),
                new ReconciliationChange(null, "197361", "amlodipine 5 MG Oral Tablet", "active"),
            ]));
        Add(new AcknowledgeRequest("INR checked weekly; prescriber aware of the combination.", At));
    }
}
