using CcmPlatform.Billing.Rules;

namespace CcmPlatform.Billing.Rules.Tests;

/// <summary>
/// Default facts of ccm-rules.md §8: Part B, not QMB, two qualifying condition groups, CCM consent before the
/// month, active signed shared plan, no initiating visit needed, one billing practitioner, New York, 2025.
/// </summary>
internal sealed class FactsBuilder
{
    public const string Md = "P1";
    public const string MdNpi = "1234567893";
    public const string OtherMd = "P2";
    public const string OtherNpi = "1245319599";
    public const string Zone = "America/New_York";

    private static readonly Lazy<FeeSchedule> Lazy2025 = new(() =>
        FeeSchedule.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "fee-schedule-2025.csv")), 2025));
    public static FeeSchedule Fee2025 => Lazy2025.Value;
    public static readonly TimeZoneInfo Ny = TimeZoneInfo.FindSystemTimeZoneById(Zone);
    private static readonly DateTime LongAgo = new(2015, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private ServiceMonth _month = new(2025, 3);
    private readonly List<TimeEntry> _entries = [];
    private int _seq;
    private int _day = 2;

    public string Practitioner = Md;
    public List<Consent> Consents = [new("c1", CareProgram.Ccm, Md, LongAgo)];
    public List<BillingAssignment> Assignments = [new(Md, LongAgo)];
    public List<Practitioner> Practitioners = [new(Md, MdNpi, PractitionerType.Physician), new(OtherMd, OtherNpi, PractitionerType.Physician)];
    public Coverage? Coverage = new(new DateOnly(2015, 1, 1), null, "1EG4TE5MK73", false);
    public List<ProgramEnrollment> Enrollments = [new(CareProgram.Ccm, new DateOnly(2015, 1, 1))];
    public List<CarePlanVersion> PlanVersions = [new("v1", LongAgo, Md, LongAgo, null, LongAgo.AddDays(1))];
    public List<DateTime> Revisions = [];
    public List<MdmAssessment> Mdm = [];
    public List<QualifyingCondition> Conditions = [new("I10", "hypertension"), new("E11.9", "diabetes")];
    public List<BilledService> BilledElsewhere = [];
    public List<InitiatingVisit> InitiatingVisits = [];
    public List<VisitHistoryItem> VisitHistory = [];
    public bool? InitiatingVisitRequired = false;
    public List<InpatientStay> Stays = [];
    public DateTime? DiedAtUtc = null;
    public DateOnly? DeathDate;
    public List<FeeSchedule> Schedules = [Fee2025];
    public MueTable Mue = MueTable.MedicareDefault;
    public PracticeFlags Flags = PracticeFlags.Default;

    public static FactsBuilder For(int year, int month) => new() { _month = new ServiceMonth(year, month) };

    public ServiceMonth Month => _month;

    /// <summary>UTC instant of a New York wall-clock time.</summary>
    public static DateTime Local(int y, int mo, int d, int h = 10, int mi = 0) =>
        TimeZoneInfo.ConvertTimeToUtc(new DateTime(y, mo, d, h, mi, 0, DateTimeKind.Unspecified), Ny);

    public FactsBuilder Entry(int minutes, DateTime startUtc, StaffRoleKind role = StaffRoleKind.ClinicalStaff,
        string? practitionerId = null, CareProgram program = CareProgram.Ccm, string staffId = "rn1", params string[] conditions)
    {
        _entries.Add(new TimeEntry($"e{++_seq}", staffId, role, practitionerId, program, startUtc, minutes,
            conditions.Length == 0 ? ["I10"] : conditions));
        return this;
    }

    /// <summary>Clinical staff minutes spread over days of the month, at most 240 per entry (R-TIME-6).</summary>
    public FactsBuilder Staff(int minutes, CareProgram program = CareProgram.Ccm)
    {
        while (minutes > 0)
        {
            var m = Math.Min(minutes, 240);
            Entry(m, Local(_month.Year, _month.Month, NextDay(), 9), program: program);
            minutes -= m;
        }
        return this;
    }

    /// <summary>The billing practitioner's own minutes.</summary>
    public FactsBuilder MdPersonally(int minutes)
    {
        while (minutes > 0)
        {
            var m = Math.Min(minutes, 240);
            Entry(m, Local(_month.Year, _month.Month, NextDay(), 14), StaffRoleKind.Practitioner, Practitioner, staffId: "md1");
            minutes -= m;
        }
        return this;
    }

    private int NextDay()
    {
        var d = _day;
        _day = _day >= 27 ? 2 : _day + 1;
        return d;
    }

    public FactsBuilder ComplexCriteriaMet(MdmLevel level = MdmLevel.Moderate)
    {
        Mdm.Add(new MdmAssessment(new DateOnly(_month.Year, _month.Month, 5), level, Practitioner));
        Revisions.Add(Local(_month.Year, _month.Month, 5, 11));
        return this;
    }

    public PatientMonthFacts Build() => Build(_month);

    public PatientMonthFacts Build(ServiceMonth month) => new()
    {
        PracticeTimeZone = Zone,
        Month = month,
        BirthDate = new DateOnly(1950, 6, 1),
        DiedAtUtc = DiedAtUtc,
        DeathDate = DeathDate,
        TimeEntries = _entries.ToArray(),
        Consents = Consents.ToArray(),
        BillingAssignments = Assignments.ToArray(),
        Practitioners = Practitioners.ToArray(),
        Coverage = Coverage,
        Enrollments = Enrollments.ToArray(),
        InitiatingVisits = InitiatingVisits.ToArray(),
        VisitHistory = VisitHistory.ToArray(),
        InitiatingVisitRequired = InitiatingVisitRequired,
        InpatientStays = Stays.ToArray(),
        CarePlan = new CarePlanState(PlanVersions.ToArray(), Revisions.ToArray()),
        MdmAssessments = Mdm.ToArray(),
        QualifyingConditions = Conditions.ToArray(),
        BilledElsewhere = BilledElsewhere.ToArray(),
        PracticeFlags = Flags,
        FeeSchedules = new FeeSchedules(Schedules),
        Mue = Mue,
    };
}

internal static class OutcomeAssert
{
    public static MonthOutcome.Claim Claim(MonthOutcome o, params (string Code, int Units)[] lines)
    {
        var c = Assert.IsType<MonthOutcome.Claim>(o);
        Assert.Equal(lines, c.Lines.Select(l => (l.Code, l.Units)).ToArray());
        return c;
    }

    public static MonthOutcome.Hold Hold(MonthOutcome o, HoldReason primary, params HoldReason[] secondary)
    {
        var h = Assert.IsType<MonthOutcome.Hold>(o);
        Assert.Equal(primary, h.Primary);
        Assert.Equal(secondary, h.Secondary);
        return h;
    }

    public static MonthOutcome.NotBillable NotBillable(MonthOutcome o, NotBillableReason reason, string text)
    {
        var n = Assert.IsType<MonthOutcome.NotBillable>(o);
        Assert.Equal(reason, n.Reason);
        Assert.Equal(text, n.Text);
        return n;
    }

    public static long Amount(this CandidateTrack[] candidates, Track t) => candidates.Single(c => c.Track == t).AmountCents!.Value;
}
