using CcmPlatform.Billing.Rules;

namespace CcmPlatform.Bench.Engine;

/// <summary>
/// A seeded corpus of CCM patient-months shaped like issue 3 §6: about 4 entries each; 15% with the billing
/// practitioner's own time, 5% complex (moderate MDM + plan established or revised), 3% with an inpatient
/// stay, 2% with an entry crossing local midnight at the month boundary.
/// </summary>
public static class Corpus
{
    public const string Zone = "America/New_York";
    private static readonly TimeZoneInfo Ny = TimeZoneInfo.FindSystemTimeZoneById(Zone);
    private static readonly DateTime LongAgo = new(2015, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Icd = ["I10", "E11.9", "I50.9", "J44.9", "N18.3", "F32.9"];
    private static readonly string[] Groups = ["hypertension", "diabetes", "heart-failure", "copd", "ckd", "depression"];

    public static FeeSchedules LoadFees() =>
        new([FeeSchedule.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fee-schedule-2025.csv")), 2025)]);

    private static DateTime Local(int y, int mo, int d, int h, int mi) =>
        TimeZoneInfo.ConvertTimeToUtc(new DateTime(y, mo, d, h, mi, 0, DateTimeKind.Unspecified), Ny);

    public static PatientMonthFacts[] Build(int count, int seed, FeeSchedules fees)
    {
        var rng = new Random(seed);
        var month = new ServiceMonth(2025, 3);
        var result = new PatientMonthFacts[count];
        for (var p = 0; p < count; p++)
        {
            var md = $"P{rng.Next(1, 40)}";
            var npi = $"1{rng.Next(100_000_000, 999_999_999)}";
            var roll = rng.NextDouble();
            var practitionerTime = roll < 0.15;
            var complex = rng.NextDouble() < 0.05;
            var inpatient = rng.NextDouble() < 0.03;
            var crossesMidnight = rng.NextDouble() < 0.02;

            var entries = new List<TimeEntry>(5);
            var n = 2 + rng.Next(0, 5); // 2..6, mean 4
            for (var i = 0; i < n; i++)
            {
                var day = rng.Next(1, 31);
                var start = Local(2025, 3, day, rng.Next(8, 18), rng.Next(0, 60));
                var minutes = complex ? rng.Next(10, 31) : rng.Next(3, 16);
                var c1 = Icd[rng.Next(Icd.Length)];
                entries.Add(new TimeEntry($"e{p}-{i}", "rn1", StaffRoleKind.ClinicalStaff, null, CareProgram.Ccm, start, minutes, [c1]));
            }
            if (practitionerTime)
                entries[0] = entries[0] with { StaffId = md, Role = StaffRoleKind.Practitioner, StaffPractitionerId = md, Minutes = rng.Next(10, 45) };
            if (crossesMidnight)
                entries[^1] = entries[^1] with { StartUtc = Local(2025, 3, 31, 23, 45), Minutes = 40 };

            var a = rng.Next(0, 2);
            var conditions = new List<QualifyingCondition> { new(Icd[a], Groups[a]), new(Icd[a + 2], Groups[a + 2]) };
            var stays = inpatient
                ? new List<InpatientStay> { new(Local(2025, 3, 10, 8, 0), Local(2025, 3, 14, 12, 0), FacilityKind.Hospital) }
                : [];
            var plan = complex
                ? new CarePlanState([new CarePlanVersion("v1", Local(2025, 3, 3, 10, 0), md, Local(2025, 3, 3, 10, 0), null, Local(2025, 3, 3, 11, 0))], [])
                : new CarePlanState([new CarePlanVersion("v1", LongAgo, md, LongAgo, null, LongAgo.AddDays(1))], []);
            var mdm = complex ? new List<MdmAssessment> { new(new DateOnly(2025, 3, 3), MdmLevel.Moderate, md) } : [];

            result[p] = new PatientMonthFacts
            {
                PracticeTimeZone = Zone,
                Month = month,
                BirthDate = new DateOnly(1940 + rng.Next(0, 20), 1 + rng.Next(0, 12), 1 + rng.Next(0, 28)),
                TimeEntries = entries,
                Consents = [new Consent("c1", CareProgram.Ccm, md, LongAgo)],
                BillingAssignments = [new BillingAssignment(md, LongAgo)],
                Practitioners = [new Practitioner(md, npi, PractitionerType.Physician)],
                Coverage = new Coverage(new DateOnly(2015, 1, 1), null, "1EG4TE5MK73", rng.NextDouble() < 0.1),
                Enrollments = [new ProgramEnrollment(CareProgram.Ccm, new DateOnly(2015, 1, 1))],
                VisitHistory = [],
                InitiatingVisitRequired = false,
                InpatientStays = stays,
                CarePlan = plan,
                MdmAssessments = mdm,
                QualifyingConditions = conditions,
                FeeSchedules = fees,
            };
        }
        return result;
    }
}
