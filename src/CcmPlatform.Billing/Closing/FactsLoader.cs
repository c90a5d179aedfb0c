using CcmPlatform.Billing.Data;
using CcmPlatform.Billing.Rules;
using Microsoft.EntityFrameworkCore;
using C = CcmPlatform.Contracts;

namespace CcmPlatform.Billing.Closing;

/// <summary>Everything Billing knows about one patient, loaded once and cut into patient-months for the engine.</summary>
public sealed class PatientFile
{
    public required PatientFact? Patient { get; init; }
    public required Guid PatientId { get; init; }
    public required PracticeFact? Practice { get; init; }
    public required List<TimeEntryFact> Entries { get; init; }
    public required List<ConsentFact> Consents { get; init; }
    public required List<ConsentRevocationFact> Revocations { get; init; }
    public required List<AssignmentFact> Assignments { get; init; }
    public required List<RosterFact> Practitioners { get; init; }
    public required List<CoverageFact> Coverages { get; init; }
    public required List<EnrollmentFact> Enrollments { get; init; }
    public required List<VisitFact> Visits { get; init; }
    public required List<InpatientStayFact> Stays { get; init; }
    public required List<CarePlanVersionFact> PlanVersions { get; init; }
    public required List<CarePlanShareFact> Shares { get; init; }
    public required List<CarePlanRevisionFact> Revisions { get; init; }
    public required List<ComplexityFact> Complexities { get; init; }
    public required List<BilledElsewhereRecord> BilledElsewhere { get; init; }

    public string TimeZone => Practice?.TimeZone ?? FactsLoader.DefaultTimeZone;

    public CoverageFact? CoverageOn(DateOnly date) =>
        Coverages.Where(c => c.PartBStart <= date && (c.PartBEnd is null || c.PartBEnd >= date)).OrderByDescending(c => c.OccurredAt).FirstOrDefault()
        ?? Coverages.OrderByDescending(c => c.OccurredAt).FirstOrDefault();
}

public static class FactsLoader
{
    /// <summary>Used only until the practice's own zone arrives (PracticeCreated).</summary>
    public const string DefaultTimeZone = "America/New_York";

    public static async Task<PatientFile> LoadAsync(BillingDbContext db, Guid patientId, CancellationToken ct)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == patientId, ct);
        var entries = await db.TimeEntries.AsNoTracking().Where(x => x.PatientId == patientId && x.Program != "").ToListAsync(ct);
        var practiceId = patient?.PracticeId ?? entries.Select(e => (Guid?)e.PracticeId).FirstOrDefault();
        var practice = practiceId is null ? null : await db.Practices.AsNoTracking().FirstOrDefaultAsync(p => p.PracticeId == practiceId, ct);
        return new PatientFile
        {
            PatientId = patientId,
            Patient = patient,
            Practice = practice,
            Entries = entries,
            Consents = await db.Consents.AsNoTracking().Where(x => x.PatientId == patientId).ToListAsync(ct),
            Revocations = await db.ConsentRevocations.AsNoTracking().Where(x => x.PatientId == patientId).ToListAsync(ct),
            Assignments = await db.Assignments.AsNoTracking().Where(x => x.PatientId == patientId).ToListAsync(ct),
            Practitioners = await db.Roster.AsNoTracking().Where(r => r.Kind == nameof(C.RosterKind.Practitioner)).ToListAsync(ct),
            Coverages = await db.Coverages.AsNoTracking().Where(x => x.PatientId == patientId).ToListAsync(ct),
            Enrollments = await db.Enrollments.AsNoTracking().Where(x => x.PatientId == patientId).ToListAsync(ct),
            Visits = await db.Visits.AsNoTracking().Where(x => x.PatientId == patientId).ToListAsync(ct),
            Stays = await db.InpatientStays.AsNoTracking().Where(x => x.PatientId == patientId).ToListAsync(ct),
            PlanVersions = await db.CarePlanVersions.AsNoTracking().Where(x => x.PatientId == patientId).ToListAsync(ct),
            Shares = await db.CarePlanShares.AsNoTracking().Where(x => x.PatientId == patientId).ToListAsync(ct),
            Revisions = await db.CarePlanRevisions.AsNoTracking().Where(x => x.PatientId == patientId).ToListAsync(ct),
            Complexities = await db.Complexities.AsNoTracking().Where(x => x.PatientId == patientId).ToListAsync(ct),
            BilledElsewhere = await db.BilledElsewhere.AsNoTracking().Where(x => x.PatientId == patientId).ToListAsync(ct),
        };
    }

    /// <summary>
    /// Files of the wanted patients with one query per table (month close). On SQLite the queries read only the wanted patients'
    /// rows; elsewhere they read the practice's registered patients and keep the wanted ones.
    /// Wanted patients not registered with the practice (entries arrived first) are loaded one by one. <paramref name="practitioners"/>
    /// lets slices share one roster list (and so one <see cref="RosterView"/>).
    /// </summary>
    public static async Task<Dictionary<Guid, PatientFile>> LoadManyAsync(BillingDbContext db, Guid practiceId, IReadOnlyCollection<Guid> patientIds,
        List<RosterFact>? practitioners, CancellationToken ct, (DateTime From, DateTime To)? entriesWindow = null)
    {
        var wanted = patientIds as IReadOnlySet<Guid> ?? patientIds.ToHashSet();
        var practice = await db.Practices.AsNoTracking().FirstOrDefaultAsync(p => p.PracticeId == practiceId, ct);
        practitioners ??= await db.Roster.AsNoTracking().Where(r => r.Kind == nameof(C.RosterKind.Practitioner)).ToListAsync(ct);
        Dictionary<Guid, PatientFile> files;
        if (SqliteCloseWriter.For(db) is { } sqlite)
        {
            files = await ReadSliceAsync(sqlite, practiceId, practice, wanted, practitioners, entriesWindow, ct);
        }
        else
        {
            // A subquery, not a list of ids: 100k bound parameters cost far more than the join.
            var ids = db.Patients.Where(p => p.PracticeId == practiceId).Select(p => p.PatientId);
            var patients = (await db.Patients.AsNoTracking().Where(p => p.PracticeId == practiceId).ToListAsync(ct)).Where(p => wanted.Contains(p.PatientId)).ToList();
            files = NewFiles(patients, practice, practitioners);
            // Streamed straight into each file's lists: no whole-table list or lookup alive beside them (peak memory).
            async Task Into<T>(IQueryable<T> q, Func<T, Guid> key, Func<PatientFile, List<T>> list) where T : class
            {
                await foreach (var row in q.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
                    if (files.TryGetValue(key(row), out var f)) list(f).Add(row);
            }
            // Only the entries that can touch the month (an entry starting up to MaxMinutes before it may run into it), and never a
            // tombstone: entries of other months would only be listed as "other month" in every explanation.
            var entries = db.TimeEntries.Where(x => ids.Contains(x.PatientId) && x.Program != "");
            if (entriesWindow is { } w) entries = entries.Where(x => x.StartedAt >= w.From && x.StartedAt < w.To);
            await Into(entries, x => x.PatientId, f => f.Entries);
            await Into(db.Consents.Where(x => ids.Contains(x.PatientId)), x => x.PatientId, f => f.Consents);
            await Into(db.ConsentRevocations.Where(x => ids.Contains(x.PatientId)), x => x.PatientId, f => f.Revocations);
            await Into(db.Assignments.Where(x => ids.Contains(x.PatientId)), x => x.PatientId, f => f.Assignments);
            await Into(db.Coverages.Where(x => ids.Contains(x.PatientId)), x => x.PatientId, f => f.Coverages);
            await Into(db.Enrollments.Where(x => ids.Contains(x.PatientId)), x => x.PatientId, f => f.Enrollments);
            await Into(db.Visits.Where(x => ids.Contains(x.PatientId)), x => x.PatientId, f => f.Visits);
            await Into(db.InpatientStays.Where(x => ids.Contains(x.PatientId)), x => x.PatientId, f => f.Stays);
            await Into(db.CarePlanVersions.Where(x => ids.Contains(x.PatientId)), x => x.PatientId, f => f.PlanVersions);
            await Into(db.CarePlanShares.Where(x => ids.Contains(x.PatientId)), x => x.PatientId, f => f.Shares);
            await Into(db.CarePlanRevisions.Where(x => ids.Contains(x.PatientId)), x => x.PatientId, f => f.Revisions);
            await Into(db.Complexities.Where(x => ids.Contains(x.PatientId)), x => x.PatientId, f => f.Complexities);
            await Into(db.BilledElsewhere.Where(x => ids.Contains(x.PatientId)), x => x.PatientId, f => f.BilledElsewhere);
        }
        foreach (var id in wanted)
            if (!files.ContainsKey(id)) files[id] = await LoadAsync(db, id, ct);
        return files;
    }

    /// <summary>
    /// The SQLite side of <see cref="LoadManyAsync"/>: only the wanted patients' rows, through <paramref name="sqlite"/> alone (no EF,
    /// no context), so a close can run it on a second connection beside its writes, and load a slice at a time and drop it
    /// (peak memory, GC). Wanted patients not registered with the practice (entries arrived first) are left out: the caller
    /// loads them with <see cref="LoadAsync"/>.
    /// </summary>
    public static async Task<Dictionary<Guid, PatientFile>> ReadSliceAsync(SqliteCloseWriter sqlite, Guid practiceId, PracticeFact? practice,
        IReadOnlyCollection<Guid> patientIds, List<RosterFact> practitioners, (DateTime From, DateTime To)? entriesWindow, CancellationToken ct)
    {
        await sqlite.UsePatientsAsync(patientIds, ct);
        var patients = new List<PatientFact>(patientIds.Count);
        await sqlite.ReadFactsAsync<PatientFact>("\"PracticeId\" = $practice", [("$practice", practiceId)], patients.Add, ct);
        var files = NewFiles(patients, practice, practitioners);
        // Streamed straight into each file's lists: no whole-table list or lookup alive beside them (peak memory).
        (string, object)[] window = entriesWindow is { } ew ? [("$from", ew.From), ("$to", ew.To)] : [];
        Task Into<T>(Func<T, Guid> key, Func<PatientFile, List<T>> list, string? where = null) where T : class, new() =>
            sqlite.ReadFactsAsync<T>(where, where is null ? [] : window, row =>
            {
                if (files.TryGetValue(key(row), out var f)) list(f).Add(row);
            }, ct);
        // Same entry window and tombstone rule as the EF path.
        await Into<TimeEntryFact>(x => x.PatientId, f => f.Entries,
            "\"Program\" <> ''" + (entriesWindow is null ? "" : " AND \"StartedAt\" >= $from AND \"StartedAt\" < $to"));
        await Into<ConsentFact>(x => x.PatientId, f => f.Consents);
        await Into<ConsentRevocationFact>(x => x.PatientId, f => f.Revocations);
        await Into<AssignmentFact>(x => x.PatientId, f => f.Assignments);
        await Into<CoverageFact>(x => x.PatientId, f => f.Coverages);
        await Into<EnrollmentFact>(x => x.PatientId, f => f.Enrollments);
        await Into<VisitFact>(x => x.PatientId, f => f.Visits);
        await Into<InpatientStayFact>(x => x.PatientId, f => f.Stays);
        await Into<CarePlanVersionFact>(x => x.PatientId, f => f.PlanVersions);
        await Into<CarePlanShareFact>(x => x.PatientId, f => f.Shares);
        await Into<CarePlanRevisionFact>(x => x.PatientId, f => f.Revisions);
        await Into<ComplexityFact>(x => x.PatientId, f => f.Complexities);
        await Into<BilledElsewhereRecord>(x => x.PatientId, f => f.BilledElsewhere);
        await sqlite.ReleaseAsync(ct);
        return files;
    }

    private static Dictionary<Guid, PatientFile> NewFiles(List<PatientFact> patients, PracticeFact? practice, List<RosterFact> practitioners)
    {
        var files = new Dictionary<Guid, PatientFile>(patients.Count);
        foreach (var p in patients)
        {
            files[p.PatientId] = new PatientFile
            {
                PatientId = p.PatientId,
                Patient = p,
                Practice = practice,
                Entries = [], Consents = [], Revocations = [], Assignments = [], Practitioners = practitioners, Coverages = [],
                Enrollments = [], Visits = [], Stays = [], PlanVersions = [], Shares = [], Revisions = [], Complexities = [], BilledElsewhere = [],
            };
        }
        return files;
    }

    /// <summary>The roster as the engine sees it; files sharing one practitioner list and practice can share it.</summary>
    public sealed class RosterView
    {
        internal readonly Dictionary<string, string> NpiToId;
        internal readonly List<Practitioner> Practitioners;
        private readonly List<RosterFact> _source;
        private readonly Guid? _practiceId;

        public RosterView(PatientFile f)
        {
            _source = f.Practitioners;
            _practiceId = f.Practice?.PracticeId;
            // One person may sit on several practices' rosters under the same NPI: prefer the patient's practice.
            NpiToId = f.Practitioners.Where(p => p.Npi is not null).OrderBy(p => p.PracticeId == f.Practice?.PracticeId ? 0 : 1)
                .GroupBy(p => p.Npi!).ToDictionary(g => g.Key, g => g.First().RosterId.ToString());
            Practitioners = f.Practitioners.Select(p => new Practitioner(p.RosterId.ToString(), p.Npi ?? "", PractitionerKind(p.PractitionerType),
                p.QpYears.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList())).ToList();
        }

        public bool Fits(PatientFile f) => ReferenceEquals(f.Practitioners, _source) && f.Practice?.PracticeId == _practiceId;
    }

    public static PatientMonthFacts ToFacts(PatientFile f, ServiceMonth month, FeeSchedules fees, MueTable mue, RosterView? roster = null)
    {
        var zone = Zones.Find(f.TimeZone);
        if (roster is null || !roster.Fits(f)) roster = new RosterView(f);
        var npiToId = roster.NpiToId;
        string ByNpi(string npiOrId) => npiToId.TryGetValue(npiOrId, out var id) ? id : npiOrId;

        // Loops rather than LINQ in this per-patient path: it runs 100k times per close (iterators, closures, lookups).
        Dictionary<Guid, DateTime>? revoked = null;
        foreach (var rv in f.Revocations)
        {
            revoked ??= [];
            if (!revoked.TryGetValue(rv.ConsentId, out var first) || rv.OccurredAt < first) revoked[rv.ConsentId] = rv.OccurredAt;
        }
        var consents = new List<Consent>(f.Consents.Count);
        foreach (var c in f.Consents)
            consents.Add(new Consent(c.ConsentId.ToString(), Program(c.Program), c.PractitionerId?.ToString() ?? "", c.OccurredAt,
                revoked is not null && revoked.TryGetValue(c.ConsentId, out var r) ? r : null, c.Declined));

        var ordered = f.Assignments.OrderBy(a => a.EffectiveFrom).ThenBy(a => a.RecordedAt).ToList();
        var assignments = ordered.Select((a, i) => new BillingAssignment(
            a.PractitionerId.ToString(), a.EffectiveFrom, i + 1 < ordered.Count ? ordered[i + 1].EffectiveFrom : null)).ToList();

        var enrollments = new List<ProgramEnrollment>();
        foreach (var g in f.Enrollments.GroupBy(e => e.Program))
        {
            DateOnly? from = null;
            foreach (var e in g.OrderBy(e => e.OccurredAt))
            {
                var d = Zones.LocalDate(e.OccurredAt, zone);
                if (e.Enrolled) from ??= d;
                else if (from is { } start)
                {
                    enrollments.Add(new ProgramEnrollment(Program(g.Key), start, d));
                    from = null;
                }
            }
            if (from is { } open) enrollments.Add(new ProgramEnrollment(Program(g.Key), open, null));
        }

        var versions = new List<CarePlanVersion>();
        foreach (var plan in f.PlanVersions.GroupBy(v => v.CarePlanId))
        {
            var list = plan.OrderBy(v => v.Version).ToList();
            for (var i = 0; i < list.Count; i++)
            {
                var v = list[i];
                var shared = f.Shares.Where(s => s.CarePlanId == v.CarePlanId && s.Version == v.Version).Select(s => (DateTime?)s.SharedAt).Min();
                versions.Add(new CarePlanVersion($"{v.CarePlanId}:{v.Version}", v.SignedAt, v.SignedBy.ToString(), v.SignedAt,
                    i + 1 < list.Count ? list[i + 1].SignedAt : null, shared));
            }
        }
        var revisions = f.Revisions.Select(r => r.OccurredAt)
            .Concat(f.PlanVersions.Where(v => v.FirstActivation).Select(v => v.SignedAt)).ToList();

        var coverage = f.CoverageOn(month.LastDay);
        var mueTable = mue;
        var entries = new List<TimeEntry>(f.Entries.Count);
        foreach (var e in f.Entries)
        {
            if (IsTombstone(e)) continue;
            var staffId = e.StaffId.ToString();
            entries.Add(new TimeEntry(e.EntryId.ToString(), staffId, Role(e.StaffKind),
                e.StaffKind == nameof(C.RosterKind.Practitioner) ? staffId : null,
                Program(e.Program), e.StartedAt, e.Minutes,
                e.ConditionsAddressed.Split(';', StringSplitOptions.RemoveEmptyEntries), e.VoidedAt is not null));
        }
        var initiating = new List<InitiatingVisit>();
        var visitHistory = new List<VisitHistoryItem>(f.Visits.Count);
        var g0506 = new List<G0506Record>();
        foreach (var v in f.Visits)
        {
            if (v.Initiating && v.Code is not null && v.EndedAt is not null)
                initiating.Add(new InitiatingVisit(v.Code, v.Practitioner ?? "", v.StartedAt, v.EndedAt.Value));
            if (v.Code is not null) visitHistory.Add(new VisitHistoryItem(v.Code, ByNpi(v.Practitioner ?? ""), Zones.LocalDate(v.StartedAt, zone)));
            if (v.WithG0506) g0506.Add(new G0506Record(v.VisitId.ToString(), Zones.LocalDate(v.StartedAt, zone), v.Practitioner ?? ""));
        }
        return new PatientMonthFacts
        {
            PracticeTimeZone = f.TimeZone,
            Month = month,
            BirthDate = f.Patient?.BirthDate ?? default,
            DiedAtUtc = f.Patient?.DiedAt,
            DeathDate = f.Patient?.DiedAt is null ? f.Patient?.DeathDate : null,
            TimeEntries = entries,
            Consents = consents,
            BillingAssignments = assignments,
            Practitioners = roster.Practitioners,
            Coverage = coverage is null ? null : new Coverage(coverage.PartBStart, coverage.PartBEnd, coverage.Mbi, coverage.Qmb),
            Enrollments = enrollments,
            InitiatingVisits = initiating,
            VisitHistory = visitHistory,
            G0506History = g0506,
            InpatientStays = f.Stays.Select(s => new InpatientStay(s.AdmittedAt, s.DischargedAt, Facility(s.Facility))).ToList(),
            CarePlan = new CarePlanState(versions, revisions),
            MdmAssessments = f.Complexities.Select(m => new MdmAssessment(Zones.LocalDate(m.OccurredAt, zone),
                Enum.TryParse<MdmLevel>(m.Level, out var l) ? l : MdmLevel.None, m.PractitionerId.ToString())).ToList(),
            QualifyingConditions = Conditions(f.Patient?.Conditions),
            BilledElsewhere = f.BilledElsewhere.Select(b => new BilledService(b.Code, ByNpi(b.PractitionerNpi), b.DateOfService)).ToList(),
            PracticeFlags = new PracticeFlags(f.Practice?.WaivesCoinsurance ?? false),
            FeeSchedules = fees,
            Mue = mueTable,
        };
    }

    public static IReadOnlyList<QualifyingCondition> Conditions(string? snapshot) =>
        (snapshot ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split('|', 2))
            .Where(p => p.Length == 2)
            // The group part may itself list several groups ("E1121|ccw:16|ccw:21"); the engine counts them.
            .Select(p => new QualifyingCondition(p[0], p[1]))
            .ToList();

    public static CareProgram Program(string program) => program switch
    {
        nameof(C.CareProgram.Ccm) => CareProgram.Ccm,
        nameof(C.CareProgram.Pcm) => CareProgram.Pcm,
        nameof(C.CareProgram.Apcm) => CareProgram.Apcm,
        nameof(C.CareProgram.Rpm) => CareProgram.Rpm,
        nameof(C.CareProgram.Bhi) => CareProgram.Bhi,
        nameof(C.CareProgram.Tcm) => CareProgram.Tcm,
        nameof(C.CareProgram.EvaluationAndManagement) => CareProgram.EvaluationAndManagement,
        nameof(C.CareProgram.G0506) => CareProgram.G0506,
        _ => CareProgram.Other,
    };

    private static StaffRoleKind Role(string kind) => kind switch
    {
        nameof(C.RosterKind.ClinicalStaff) => StaffRoleKind.ClinicalStaff,
        nameof(C.RosterKind.Practitioner) => StaffRoleKind.Practitioner,
        _ => StaffRoleKind.NonClinical,
    };

    private static FacilityKind Facility(string facility) =>
        facility.Contains("snf", StringComparison.OrdinalIgnoreCase) || facility.Contains("skilled", StringComparison.OrdinalIgnoreCase)
            ? FacilityKind.SkilledNursingFacility
            : FacilityKind.Hospital;

    private static PractitionerType PractitionerKind(string? type)
    {
        if (Enum.TryParse<PractitionerType>(type, ignoreCase: true, out var t)) return t;
        return (type ?? "").ToUpperInvariant() switch
        {
            "NP" => PractitionerType.NursePractitioner,
            "PA" => PractitionerType.PhysicianAssistant,
            "CNS" => PractitionerType.ClinicalNurseSpecialist,
            "CNM" => PractitionerType.CertifiedNurseMidwife,
            _ => PractitionerType.Physician,
        };
    }

    /// <summary>A void stored before its entry arrived (Program is empty until the entry fills it in); never a time entry for the engine.</summary>
    public static bool IsTombstone(TimeEntryFact e) => e.Program.Length == 0;

    /// <summary>Local months an entry touches (an entry spanning local midnight belongs to both, R-TIME-2).</summary>
    public static IEnumerable<ServiceMonth> MonthsOf(DateTime startUtc, int minutes, string timeZone)
    {
        var zone = Zones.Find(timeZone);
        var first = Zones.MonthOf(startUtc, zone);
        var last = Zones.MonthOf(startUtc.AddMinutes(Math.Max(0, minutes - 1)), zone);
        yield return first;
        if (last != first) yield return last;
    }
}
