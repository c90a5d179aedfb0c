using CcmPlatform.CarePlans.Domain;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Hosting;

namespace CcmPlatform.CarePlans.Apis;

/// <summary>
/// OpenAPI examples for CarePlans' bodies: a plan with every R-PLAN-1 element for type 2 diabetes
/// (E11.9) and hypertension (I10). Ids are placeholders; use a patient and roster member of yours.
/// </summary>
public sealed class CarePlansExamples : OpenApiExampleSet
{
    private static readonly Guid PatientId = Guid.Parse("6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b");
    private static readonly Guid CoordinatorId = Guid.Parse("2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d");
    private static readonly DateTime At = new(2025, 3, 4, 15, 30, 0, DateTimeKind.Utc);

    public CarePlansExamples()
    {
        Add(new PlanRequest(
            PatientId,
            [new PlanProblem("E11.9", "Type 2 diabetes mellitus without complications"), new PlanProblem("I10", "Essential (primary) hypertension")],
            "HbA1c below 7.5% and home blood pressure under 140/90 by the September review.",
            "Good with medication adherence and diet; risk of progression to CKD if uncontrolled.",
            [new PlanGoal("Lower HbA1c", "< 7.5%", new DateOnly(2025, 9, 30)), new PlanGoal("Control blood pressure", "< 140/90 mmHg", new DateOnly(2025, 6, 30))],
            "Fasting glucose daily and BP three times a week; call the practice for glucose above 300 mg/dL or signs of hypoglycemia.",
            [new PlanIntervention("Monthly care-coordinator call to review glucose and BP logs", CoordinatorId)],
            "Metformin 500 mg twice daily and lisinopril 10 mg daily; reconcile the list at every monthly call.",
            "Diabetes self-management education class at the county health department.",
            "Share the plan with endocrinology; obtain the annual retinal exam report.",
            new DateOnly(2025, 9, 30)));
        Add(new SignRequest(At));
        Add(new ShareRequest("portal", At));
        Add(new RevisionRequest(At, "Added CKD stage 3a (N18.31) after the new eGFR result; metformin dose reduced."));
        Add(new ComplexityRequest(MdmLevel.Moderate, At));
    }
}
