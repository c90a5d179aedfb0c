using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Hosting;
using CcmPlatform.Scheduling.Data;

namespace CcmPlatform.Scheduling.Apis;

/// <summary>
/// OpenAPI examples for Scheduling's bodies. Minutes stay within 1..240 (R-TIME-6); conditions are
/// ICD-10-CM codes. The staff member of an entry is the caller, so staffId is left out.
/// </summary>
public sealed class SchedulingExamples : OpenApiExampleSet
{
    private static readonly Guid PatientId = Guid.Parse("6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b");
    private static readonly Guid CoordinatorId = Guid.Parse("2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d");

    public SchedulingExamples()
    {
        Add(new TimeEntryRequest(
            PatientId, CareProgram.Ccm, new DateTime(2025, 3, 18, 15, 0, 0, DateTimeKind.Utc), 25, "Care coordination call",
            "Reviewed home glucose log; confirmed metformin refill with the pharmacy.", ["E11.9", "I10"], null));
        Add(new VoidRequest("Logged against the wrong patient."));
        Add(new StartTimerRequest(PatientId, CareProgram.Ccm, "Medication review call", null));
        Add(new StopTimerRequest(null, "Called the pharmacy to confirm the lisinopril refill.", ["I10"]));
        Add(new AppointmentRequest(PatientId, new DateTime(2025, 4, 2, 14, 0, 0, DateTimeKind.Utc), AppointmentKind.MonthlyCheckIn, CoordinatorId));
        Add(new CompleteAppointmentRequest("Reached patient; BP log reviewed, no changes needed.", new DateTime(2025, 4, 2, 14, 20, 0, DateTimeKind.Utc)));
        Add(new TaskRequest(PatientId, "Request the retinal exam report from ophthalmology", CoordinatorId, new DateOnly(2025, 4, 15)));
    }
}
