using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Hosting;

namespace CcmPlatform.Patients.Apis;

/// <summary>
/// OpenAPI examples for Patients' bodies. 1234567893 has a valid NPI check digit and 1EG4TE5MK73 is
/// CMS's sample MBI; practitionerId must be a practitioner on the practice's roster.
/// </summary>
public sealed class PatientsExamples : OpenApiExampleSet
{
    private static readonly Guid PractitionerId = Guid.Parse("8e9f0a1b-2c3d-4e4f-8a5b-6c7d8e9f0a1b");
    private static readonly DateTime At = new(2025, 3, 4, 15, 30, 0, DateTimeKind.Utc);

    public PatientsExamples()
    {
        Add(new CreatePracticeRequest("Maple Street Family Medicine", "America/Chicago", false));
        Add(new RegisterRosterMemberRequest("Priya Natarajan", RosterKind.Practitioner, "MD", "1234567893", "Physician", new DateOnly(2025, 1, 1), []));
        Add(new RecordCoverageRequest("Medicare Part B", "1EG4TE5MK73", new DateOnly(2016, 7, 1), null, false, At));
        Add(new RecordConsentRequest(CareProgram.Ccm, PractitionerId, "verbal", At, true, true, true, true, false));
        Add(new RevokeConsentRequest(new DateTime(2025, 6, 10, 14, 0, 0, DateTimeKind.Utc), "Patient prefers to coordinate care with the cardiology practice."));
        Add(new EnrollRequest(CareProgram.Ccm, At, "Two chronic conditions expected to last 12 months: type 2 diabetes (E11.9) and hypertension (I10)."));
        Add(new DisenrollRequest(CareProgram.Ccm, new DateTime(2025, 6, 30, 16, 0, 0, DateTimeKind.Utc), "Patient moved out of state."));
        Add(new RecordVisitRequest("99214", PractitionerId, new DateTime(2025, 2, 20, 16, 0, 0, DateTimeKind.Utc), new DateTime(2025, 2, 20, 16, 30, 0, DateTimeKind.Utc), true, false));
        Add(new AssignBillingPractitionerRequest(PractitionerId, new DateTime(2025, 3, 1, 6, 0, 0, DateTimeKind.Utc), At));
        Add(new RecordInpatientStayRequest("Hospital", new DateTime(2025, 3, 10, 8, 0, 0, DateTimeKind.Utc), new DateTime(2025, 3, 14, 17, 0, 0, DateTimeKind.Utc), new DateTime(2025, 3, 15, 9, 0, 0, DateTimeKind.Utc)));
        Add(new RecordDeathRequest(null, new DateOnly(2025, 5, 2), new DateTime(2025, 5, 3, 13, 0, 0, DateTimeKind.Utc)));

        // Smallest bundle the Synthea import accepts: one Patient with an id and a birth date.
        const string bundle = """
            {
              "resourceType": "Bundle",
              "type": "collection",
              "entry": [
                {
                  "fullUrl": "urn:uuid:5c1f3e2a-9b7d-4f6e-8a1c-2d3e4f5a6b7c",
                  "resource": {
                    "resourceType": "Patient",
                    "id": "5c1f3e2a-9b7d-4f6e-8a1c-2d3e4f5a6b7c",
                    "name": [{ "family": "Rivera", "given": ["Ana"] }],
                    "gender": "female",
                    "birthDate": "1951-06-14"
                  }
                }
              ]
            }
            """;
        AddText("application/fhir+json", bundle);
        AddText("application/json", bundle);
    }
}
