using CcmPlatform.Billing.Closing;
using CcmPlatform.Billing.Data;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Bench.Close;

/// <summary>
/// One practice in New York with enrolled CCM patients shaped like issue 3 §6 (about 4 entries each; 15% with
/// the billing practitioner's own time, 5% complex, 3% inpatient, 2% crossing the month's local midnight).
/// Seeded with the close's own bulk writer: seeding is not what is measured.
/// </summary>
public static class Seeder
{
    public static readonly Guid PracticeId = Guid.Parse("5eed0000-0000-4000-8000-000000000001");
    private static readonly TimeZoneInfo Ny = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly DateTime LongAgo = new(2024, 1, 2, 15, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Icd = ["I10", "E11.9", "I50.9", "J44.9", "N18.3", "F32.9"];
    private static readonly string[] Groups = ["hypertension", "diabetes", "heart-failure", "copd", "ckd", "depression"];

    private static DateTime Local(int d, int h, int mi) =>
        TimeZoneInfo.ConvertTimeToUtc(new DateTime(2025, 3, d, h, mi, 0, DateTimeKind.Unspecified), Ny);

    private static Guid G(Random rng)
    {
        Span<byte> b = stackalloc byte[16];
        rng.NextBytes(b);
        return new Guid(b);
    }

    public static async Task<int> SeedAsync(BillingDbContext db, int patients, int entriesTotal, int seed)
    {
        var rng = new Random(seed);
        var now = DateTime.UtcNow;
        var writer = SqliteCloseWriter.For(db) ?? throw new InvalidOperationException("SQLite only.");
        await using var tx = await db.Database.BeginTransactionAsync();
        await writer.InsertAsync([new PracticeFact { PracticeId = PracticeId, Name = "Bench practice", TimeZone = "America/New_York" }], false, default);

        var mds = Enumerable.Range(0, 40).Select(i => new RosterFact
        {
            RosterId = G(rng), PracticeId = PracticeId, DisplayName = $"Dr {i}", Kind = "Practitioner", Credential = "MD",
            Npi = $"1{100_000_000 + i * 7919}", PractitionerType = "Physician", ActiveFrom = new DateOnly(2020, 1, 1),
        }).ToList();
        var nurses = Enumerable.Range(0, 20).Select(i => new RosterFact
        {
            RosterId = G(rng), PracticeId = PracticeId, DisplayName = $"Nurse {i}", Kind = "ClinicalStaff", Credential = "RN", ActiveFrom = new DateOnly(2020, 1, 1),
        }).ToList();
        await writer.InsertAsync([.. mds, .. nurses], false, default);

        var pf = new List<PatientFact>(patients); var cov = new List<CoverageFact>(patients); var asg = new List<AssignmentFact>(patients);
        var con = new List<ConsentFact>(patients); var enr = new List<EnrollmentFact>(patients); var vis = new List<VisitFact>(patients);
        var ver = new List<CarePlanVersionFact>(patients); var shr = new List<CarePlanShareFact>(patients);
        var rev = new List<CarePlanRevisionFact>(); var cpx = new List<ComplexityFact>(); var stays = new List<InpatientStayFact>();
        var entries = new List<TimeEntryFact>(entriesTotal);
        var perPatient = (double)entriesTotal / patients;
        for (var p = 0; p < patients; p++)
        {
            var id = G(rng);
            var md = mds[rng.Next(mds.Count)];
            var a = rng.Next(0, 4);
            var complex = rng.NextDouble() < 0.05;
            pf.Add(new PatientFact { PatientId = id, PracticeId = PracticeId, GivenName = $"Given{p}", FamilyName = $"Family{p}", BirthDate = new DateOnly(1940 + p % 20, 1 + p % 12, 1 + p % 28), Conditions = $"{Icd[a]}|{Groups[a]};{Icd[a + 2]}|{Groups[a + 2]}", RecordedAt = now });
            cov.Add(new CoverageFact { CoverageId = G(rng), PatientId = id, Payer = "Medicare", Mbi = $"1EG4TE5MK{p % 100:D2}", PartBStart = new DateOnly(2015, 1, 1), Qmb = p % 10 == 0, OccurredAt = LongAgo, RecordedAt = now });
            asg.Add(new AssignmentFact { AssignmentId = G(rng), PatientId = id, PractitionerId = md.RosterId, EffectiveFrom = LongAgo, OccurredAt = LongAgo, RecordedAt = now });
            con.Add(new ConsentFact { ConsentId = G(rng), PatientId = id, Program = "Ccm", PractitionerId = md.RosterId, Method = "verbal", OccurredAt = LongAgo, RecordedAt = now });
            enr.Add(new EnrollmentFact { Id = G(rng), PatientId = id, Program = "Ccm", Enrolled = true, OccurredAt = LongAgo, RecordedAt = now });
            vis.Add(new VisitFact { VisitId = G(rng), PatientId = id, Code = "99213", Practitioner = md.Npi, StartedAt = LongAgo.AddDays(-30), RecordedAt = now });
            var planId = G(rng);
            var signedAt = complex ? Local(3, 10, 0) : LongAgo;
            ver.Add(new CarePlanVersionFact { CarePlanId = planId, Version = 1, PatientId = id, SignedBy = md.RosterId, SignedAt = signedAt, FirstActivation = true, RecordedAt = now });
            shr.Add(new CarePlanShareFact { Id = G(rng), CarePlanId = planId, Version = 1, PatientId = id, Method = "portal", SharedAt = signedAt.AddHours(1), RecordedAt = now });
            if (complex)
                cpx.Add(new ComplexityFact { AssessmentId = G(rng), PatientId = id, Level = "Moderate", PractitionerId = md.RosterId, OccurredAt = Local(3, 10, 0), RecordedAt = now });
            if (rng.NextDouble() < 0.03)
                stays.Add(new InpatientStayFact { StayId = G(rng), PatientId = id, Facility = "hospital", AdmittedAt = Local(10, 8, 0), DischargedAt = Local(14, 12, 0), RecordedAt = now });

            var n = (int)Math.Round(perPatient * (p + 1)) - (int)Math.Round(perPatient * p);
            var practitionerTime = rng.NextDouble() < 0.15;
            var crossing = rng.NextDouble() < 0.02;
            for (var i = 0; i < n; i++)
            {
                var byMd = practitionerTime && i == 0;
                var staff = byMd ? md : nurses[rng.Next(nurses.Count)];
                var start = crossing && i == n - 1 ? Local(31, 23, 45) : Local(rng.Next(1, 31), rng.Next(8, 18), rng.Next(0, 60));
                entries.Add(new TimeEntryFact
                {
                    EntryId = G(rng), PatientId = id, PracticeId = PracticeId, StaffId = staff.RosterId, StaffKind = staff.Kind, Program = "Ccm",
                    StartedAt = start, Minutes = crossing && i == n - 1 ? 40 : byMd ? rng.Next(10, 45) : complex ? rng.Next(10, 31) : rng.Next(3, 16),
                    ActivityType = "call", ConditionsAddressed = Icd[a], RecordedAt = now,
                });
            }
        }
        await writer.InsertAsync(pf, false, default);
        await writer.InsertAsync(cov, false, default);
        await writer.InsertAsync(asg, false, default);
        await writer.InsertAsync(con, false, default);
        await writer.InsertAsync(enr, false, default);
        await writer.InsertAsync(vis, false, default);
        await writer.InsertAsync(ver, false, default);
        await writer.InsertAsync(shr, false, default);
        await writer.InsertAsync(rev, false, default);
        await writer.InsertAsync(cpx, false, default);
        await writer.InsertAsync(stays, false, default);
        await writer.InsertAsync(entries, false, default);
        await tx.CommitAsync();
        return 2 + mds.Count + nurses.Count + pf.Count * 8 + rev.Count + cpx.Count + stays.Count + entries.Count;
    }
}
