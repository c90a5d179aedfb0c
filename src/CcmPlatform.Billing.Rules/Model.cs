namespace CcmPlatform.Billing.Rules;

// ───────────────────────────── Inputs ─────────────────────────────

/// <summary>Program an entry, consent, enrollment or billed service belongs to (R-TIME-5).</summary>
public enum CareProgram { Ccm, Pcm, Apcm, Rpm, Bhi, Tcm, EvaluationAndManagement, G0506, Other }

/// <summary>Role of a staff member on the entry's date, taken from the roster (R-TIME-3).</summary>
public enum StaffRoleKind { ClinicalStaff, NonClinical, Practitioner }

public enum PractitionerType { Physician, NursePractitioner, PhysicianAssistant, ClinicalNurseSpecialist, CertifiedNurseMidwife }

public enum FacilityKind { Hospital, SkilledNursingFacility }

public enum MdmLevel { None, Low, Moderate, High }

/// <summary>A calendar month of service (R-TIME-1). Boundaries are local midnight in the practice zone (R-TIME-2).</summary>
public readonly record struct ServiceMonth(int Year, int Month) : IComparable<ServiceMonth>
{
    public DateOnly FirstDay => new(Year, Month, 1);
    public DateOnly LastDay => new(Year, Month, DateTime.DaysInMonth(Year, Month));
    public ServiceMonth Next => Month == 12 ? new(Year + 1, 1) : new(Year, Month + 1);
    public ServiceMonth Previous => Month == 1 ? new(Year - 1, 12) : new(Year, Month - 1);
    public bool Contains(DateOnly date) => date.Year == Year && date.Month == Month;
    public static ServiceMonth Of(DateOnly date) => new(date.Year, date.Month);

    /// <summary>UTC instant of local midnight starting the month in the given zone.</summary>
    public DateTime StartUtc(TimeZoneInfo zone) => Zones.LocalMidnightUtc(FirstDay, zone);

    /// <summary>UTC instant of local midnight ending the month (exclusive).</summary>
    public DateTime EndUtc(TimeZoneInfo zone) => Zones.LocalMidnightUtc(Next.FirstDay, zone);

    public int CompareTo(ServiceMonth other) => (Year * 12 + Month).CompareTo(other.Year * 12 + other.Month);
    public override string ToString() => $"{Year:D4}-{Month:D2}";
}

/// <summary>A time entry (R-TIME-6/7). Role and practitioner id come from the roster on the entry's date.</summary>
public sealed record TimeEntry(
    string Id,
    string StaffId,
    StaffRoleKind Role,
    string? StaffPractitionerId,
    CareProgram Program,
    DateTime StartUtc,
    int Minutes,
    IReadOnlyList<string> ConditionsAddressed,
    bool Voided = false);

/// <summary>Consent (or a decline) for one program and one billing practitioner (R-CONS-1/2/3).</summary>
public sealed record Consent(
    string Id,
    CareProgram Program,
    string PractitionerId,
    DateTime OccurredAtUtc,
    DateTime? RevokedAtUtc = null,
    bool Declined = false);

/// <summary>Dated billing-practitioner assignment (R-ELIG-4); EffectiveToUtc is exclusive.</summary>
public sealed record BillingAssignment(string PractitionerId, DateTime EffectiveFromUtc, DateTime? EffectiveToUtc = null);

/// <summary>A practitioner; QpYears holds each year in which they are a Qualifying APM Participant (R-FEE-1).</summary>
public sealed record Practitioner(string Id, string Npi, PractitionerType Type, IReadOnlyList<int>? QpYears = null)
{
    public bool IsQualifyingApmParticipant(int year)
    {
        if (QpYears is null) return false;
        for (var i = 0; i < QpYears.Count; i++) if (QpYears[i] == year) return true;
        return false;
    }
}

/// <summary>Medicare Part B coverage (R-ELIG-5). PartBEnd is inclusive.</summary>
public sealed record Coverage(DateOnly? PartBStart, DateOnly? PartBEnd, string? Mbi, bool Qmb)
{
    public bool PartBInForceOn(DateOnly date) =>
        PartBStart is { } s && s <= date && (PartBEnd is not { } e || date <= e);
}

/// <summary>Clinician-confirmed enrollment in CCM, PCM or APCM; To is inclusive.</summary>
public sealed record ProgramEnrollment(CareProgram Program, DateOnly From, DateOnly? To = null)
{
    public bool Overlaps(ServiceMonth m) => From <= m.LastDay && (To is not { } t || t >= m.FirstDay);
    public bool CoversDate(DateOnly d) => From <= d && (To is not { } t || t >= d);
}

/// <summary>A face-to-face visit that may initiate care management (R-INIT-1).</summary>
public sealed record InitiatingVisit(string Code, string PractitionerId, DateTime StartUtc, DateTime EndUtc);

/// <summary>Any past visit, used to decide whether an initiating visit is required.</summary>
public sealed record VisitHistoryItem(string Code, string PractitionerId, DateOnly Date);

/// <summary>A recorded G0506 (R-INIT-2).</summary>
public sealed record G0506Record(string Id, DateOnly Date, string PractitionerId);

/// <summary>Inpatient stay [admission, discharge); open when DischargedUtc is null (R-TIME-4).</summary>
public sealed record InpatientStay(DateTime AdmittedUtc, DateTime? DischargedUtc, FacilityKind Kind);

/// <summary>A signed care-plan version in force over [ActiveFromUtc, ActiveToUtc) (R-PLAN-1).</summary>
public sealed record CarePlanVersion(
    string Id,
    DateTime SignedAtUtc,
    string SignedByPractitionerId,
    DateTime ActiveFromUtc,
    DateTime? ActiveToUtc,
    DateTime? SharedAtUtc);

/// <summary>Care-plan state: signed versions plus the dated "substantial revision" actions (R-PLAN-2).</summary>
public sealed record CarePlanState(IReadOnlyList<CarePlanVersion> Versions, IReadOnlyList<DateTime> SubstantialRevisionsUtc)
{
    public static readonly CarePlanState None = new([], []);
}

/// <summary>Month's MDM complexity recorded by a practitioner (R-CPLX-1).</summary>
public sealed record MdmAssessment(DateOnly Date, MdmLevel Level, string PractitionerId);

/// <summary>A qualifying chronic condition (screened, confirmed); GroupId is its condition group of R-ELIG-2, or several joined by '|'.</summary>
public sealed record QualifyingCondition(string Icd10Code, string GroupId);

/// <summary>A service for this patient billed outside this claim (EHR, other practice) (R-EXCL-*).</summary>
public sealed record BilledService(string Code, string PractitionerId, DateOnly Date);

public sealed record PracticeFlags(bool WaivesCoinsurance = false)
{
    public static readonly PracticeFlags Default = new();
}

/// <summary>One patient-month's facts: everything the engine needs, no I/O.</summary>
public sealed record PatientMonthFacts
{
    /// <summary>IANA zone id of the billing practice (R-TIME-2).</summary>
    public required string PracticeTimeZone { get; init; }
    public required ServiceMonth Month { get; init; }
    public DateOnly BirthDate { get; init; }
    public DateTime? DiedAtUtc { get; init; }
    /// <summary>Date-only death: ends at the end of that local day (R-TIME-4).</summary>
    public DateOnly? DeathDate { get; init; }

    public IReadOnlyList<TimeEntry> TimeEntries { get; init; } = [];
    public IReadOnlyList<Consent> Consents { get; init; } = [];
    public IReadOnlyList<BillingAssignment> BillingAssignments { get; init; } = [];
    public IReadOnlyList<Practitioner> Practitioners { get; init; } = [];
    public Coverage? Coverage { get; init; }
    public IReadOnlyList<ProgramEnrollment> Enrollments { get; init; } = [];

    public IReadOnlyList<InitiatingVisit> InitiatingVisits { get; init; } = [];
    public IReadOnlyList<VisitHistoryItem> VisitHistory { get; init; } = [];
    /// <summary>Null: computed from VisitHistory (12 months before program start; APCM 3 years).</summary>
    public bool? InitiatingVisitRequired { get; init; }
    public IReadOnlyList<G0506Record> G0506History { get; init; } = [];

    public IReadOnlyList<InpatientStay> InpatientStays { get; init; } = [];
    public CarePlanState CarePlan { get; init; } = CarePlanState.None;
    public IReadOnlyList<MdmAssessment> MdmAssessments { get; init; } = [];
    public IReadOnlyList<QualifyingCondition> QualifyingConditions { get; init; } = [];
    public IReadOnlyList<BilledService> BilledElsewhere { get; init; } = [];
    public PracticeFlags PracticeFlags { get; init; } = PracticeFlags.Default;

    public required FeeSchedules FeeSchedules { get; init; }
    public MueTable Mue { get; init; } = MueTable.MedicareDefault;

    /// <summary>Early release (R-CLOSE-3): the local date the claim is released as of; it becomes the date of service.</summary>
    public DateOnly? ReleaseDate { get; init; }
}

// ───────────────────────────── Outputs ─────────────────────────────

/// <summary>Machine-readable hold reasons (R-HOLD-1); ToCode() gives the wire form.</summary>
public enum HoldReason
{
    ExclOtherPractitioner,
    ExclHospiceHhEsrd,
    ExclProgramConflict,
    ExclTcmPre2020,
    NoActiveCarePlan,
    PlanNotSigned,
    CarePlanNotShared,
    NoBillableDiagnosis,
    FeeScheduleMissing,
}

public enum NotBillableReason
{
    NoBillingPractitioner,
    NotEnrolled,
    NotEligible,
    NoPartBCoverage,
    NoConsent,
    NoInitiatingVisit,
    BelowThreshold,
    NoPricedCode,
}

/// <summary>Why an entry's minutes (or part of them) do not count.</summary>
public enum NotCountableReason
{
    Voided,
    OtherMonth,
    OtherProgram,
    G0506Time,
    NonClinical,
    BeforeConsent,
    AfterConsentEnded,
    BeforeInitiatingVisit,
    AfterDeath,
    Inpatient,
}

public enum Track { CcmNonComplex, CcmComplex, CcmPractitioner, PcmPractitioner, PcmStaff, Apcm }

public static class ReasonCodes
{
    public static string ToCode(this HoldReason r) => r switch
    {
        HoldReason.ExclOtherPractitioner => "EXCL_OTHER_PRACTITIONER",
        HoldReason.ExclHospiceHhEsrd => "EXCL_HOSPICE_HH_ESRD",
        HoldReason.ExclProgramConflict => "EXCL_PROGRAM_CONFLICT",
        HoldReason.ExclTcmPre2020 => "EXCL_TCM_PRE_2020",
        HoldReason.NoActiveCarePlan => "NO_ACTIVE_CARE_PLAN",
        HoldReason.PlanNotSigned => "PLAN_NOT_SIGNED",
        HoldReason.CarePlanNotShared => "CARE_PLAN_NOT_SHARED",
        HoldReason.NoBillableDiagnosis => "NO_BILLABLE_DIAGNOSIS",
        HoldReason.FeeScheduleMissing => "FEE_SCHEDULE_MISSING",
        _ => r.ToString(),
    };

    public static string ToCode(this NotBillableReason r) => r switch
    {
        NotBillableReason.NoBillingPractitioner => "NO_BILLING_PRACTITIONER",
        NotBillableReason.NotEnrolled => "NOT_ENROLLED",
        NotBillableReason.NotEligible => "NOT_ELIGIBLE",
        NotBillableReason.NoPartBCoverage => "NO_PART_B_COVERAGE",
        NotBillableReason.NoConsent => "NO_CONSENT",
        NotBillableReason.NoInitiatingVisit => "NO_INITIATING_VISIT",
        NotBillableReason.BelowThreshold => "BELOW_THRESHOLD",
        NotBillableReason.NoPricedCode => "NO_PRICED_CODE",
        _ => r.ToString(),
    };

    public static string ToCode(this NotCountableReason r) => r switch
    {
        NotCountableReason.Voided => "MINUTES_VOIDED",
        NotCountableReason.OtherMonth => "MINUTES_OTHER_MONTH",
        NotCountableReason.OtherProgram => "MINUTES_OTHER_PROGRAM",
        NotCountableReason.G0506Time => "MINUTES_G0506",
        NotCountableReason.NonClinical => "MINUTES_NON_CLINICAL",
        NotCountableReason.BeforeConsent => "MINUTES_BEFORE_CONSENT",
        NotCountableReason.AfterConsentEnded => "MINUTES_AFTER_CONSENT_ENDED",
        NotCountableReason.BeforeInitiatingVisit => "MINUTES_BEFORE_INITIATING_VISIT",
        NotCountableReason.AfterDeath => "MINUTES_AFTER_DEATH",
        NotCountableReason.Inpatient => "MINUTES_INPATIENT",
        _ => r.ToString(),
    };

    public static bool IsConflict(this HoldReason r) => r <= HoldReason.ExclTcmPre2020;
}

public sealed record ClaimLine(string Code, int Units, long UnitPriceCents, long AmountCents);

/// <summary>Minutes of one entry (or of its part in/out of the month) that do not count.</summary>
public sealed record NotCountedMinutes(string EntryId, int Minutes, NotCountableReason Reason);

/// <summary>Minutes a code's MUE cap left unbilled (R-CODE-6).</summary>
public sealed record MinutesBeyondCap(Track Track, string Code, int Cap, int Minutes);

/// <summary>A track the engine evaluated (R-CODE-4). AmountCents is null when no fee schedule applies.</summary>
public sealed record CandidateTrack(
    Track Track,
    int Minutes,
    int ThresholdMinutes,
    bool IsCandidate,
    string? NotCandidateWhy,
    IReadOnlyList<ClaimLine> Lines,
    long? AmountCents,
    bool Won);

public sealed record TrackMinutes(Track Track, int Minutes);

/// <summary>Structured explanation carried by every outcome.</summary>
public sealed record Explanation(
    ServiceMonth Month,
    CareProgram Program,
    DateOnly DateOfService,
    string? BillingPractitionerId,
    IReadOnlyList<string> RulesApplied,
    int ClinicalStaffMinutes,
    int PractitionerMinutes,
    IReadOnlyList<NotCountedMinutes> NotCounted,
    IReadOnlyList<CandidateTrack> Candidates,
    IReadOnlyList<MinutesBeyondCap> BeyondCap,
    IReadOnlyList<string> Notes)
{
    /// <summary>Why the billed track won (R-CODE-4), e.g. "99487 + 99489 ($202.17) beats 99490 + 99439×2 ($152.35)"; null without a winner.</summary>
    // Rendered on demand: month close reads it rarely, and building it dominated evaluation cost.
    public string? WinnerWhy => Tracks.WhyWinner(Candidates);

    /// <summary>Countable minutes per evaluated track.</summary>
    public IReadOnlyList<TrackMinutes> CountableMinutes
    {
        get
        {
            var a = new TrackMinutes[Candidates.Count];
            for (var i = 0; i < a.Length; i++) a[i] = new(Candidates[i].Track, Candidates[i].Minutes);
            return a;
        }
    }

    public string ToText() => ExplanationText.Render(this);
}

/// <summary>Exactly one outcome per patient-month (R-CLOSE-1).</summary>
public abstract record MonthOutcome(Explanation Explanation)
{
    public sealed record Claim(
        CareProgram Program,
        Track Track,
        IReadOnlyList<ClaimLine> Lines,
        DateOnly DateOfService,
        string BillingPractitionerId,
        string BillingPractitionerNpi,
        IReadOnlyList<string> Diagnoses,
        long TotalCents,
        long CoinsuranceCents,
        Explanation Explanation) : MonthOutcome(Explanation);

    public sealed record Hold(
        HoldReason Primary,
        IReadOnlyList<HoldReason> Secondary,
        IReadOnlyList<BilledService> ConflictingServices,
        string Detail,
        Explanation Explanation) : MonthOutcome(Explanation);

    public sealed record NotBillable(
        NotBillableReason Reason,
        string Text,
        IReadOnlyList<HoldReason> Secondary,
        Explanation Explanation) : MonthOutcome(Explanation);
}
