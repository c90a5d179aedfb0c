namespace CcmPlatform.Billing.Rules;

internal enum RuleBit
{
    Fact1,
    Elig1,
    Elig3,
    Elig4,
    Elig5,
    Cons1,
    Cons2,
    Cons3,
    Init1,
    Init2,
    Plan1,
    Time1,
    Time2,
    Time3,
    Time4,
    Time5,
    Time6,
    Code1,
    Code2,
    Code3,
    Code4,
    Code5,
    Code6,
    Cplx1,
    Pcm1,
    Apcm1,
    Excl1,
    Excl3,
    Excl4,
    Excl5,
    Excl6,
    Hold1,
    Fee1,
    Fee2,
    Close1,
    Close3,
}

public sealed record RuleInfo(string Id, string Summary, DateOnly? EffectiveFrom = null, DateOnly? EffectiveTo = null)
{
    /// <summary>Whether the rule applies to a date of service (EffectiveTo exclusive).</summary>
    public bool AppliesOn(DateOnly date) =>
        (EffectiveFrom is not { } f || date >= f) && (EffectiveTo is not { } t || date < t);
}

/// <summary>Rule ids cited by the engine, with effective dates where the rule is dated.</summary>
public static class RuleCatalog
{
    public const string Fact1 = "R-FACT-1";
    public const string Elig1 = "R-ELIG-1";
    public const string Elig3 = "R-ELIG-3";
    public const string Elig4 = "R-ELIG-4";
    public const string Elig5 = "R-ELIG-5";
    public const string Cons1 = "R-CONS-1";
    public const string Cons2 = "R-CONS-2";
    public const string Cons3 = "R-CONS-3";
    public const string Init1 = "R-INIT-1";
    public const string Init2 = "R-INIT-2";
    public const string Plan1 = "R-PLAN-1";
    public const string Time1 = "R-TIME-1";
    public const string Time2 = "R-TIME-2";
    public const string Time3 = "R-TIME-3";
    public const string Time4 = "R-TIME-4";
    public const string Time5 = "R-TIME-5";
    public const string Time6 = "R-TIME-6";
    public const string Code1 = "R-CODE-1";
    public const string Code2 = "R-CODE-2";
    public const string Code3 = "R-CODE-3";
    public const string Code4 = "R-CODE-4";
    public const string Code5 = "R-CODE-5";
    public const string Code6 = "R-CODE-6";
    public const string Cplx1 = "R-CPLX-1";
    public const string Pcm1 = "R-PCM-1";
    public const string Apcm1 = "R-APCM-1";
    public const string Excl1 = "R-EXCL-1";
    public const string Excl3 = "R-EXCL-3";
    public const string Excl4 = "R-EXCL-4";
    public const string Excl5 = "R-EXCL-5";
    public const string Excl6 = "R-EXCL-6";
    public const string Hold1 = "R-HOLD-1";
    public const string Fee1 = "R-FEE-1";
    public const string Fee2 = "R-FEE-2";
    public const string Close1 = "R-CLOSE-1";
    public const string Time7 = "R-TIME-7";
    public const string Close3 = "R-CLOSE-3";

    /// <summary>Rule ids in catalogue order, indexed by <see cref="RuleBit"/>.</summary>
    internal static readonly string[] Ids =
    [
        Fact1,
        Elig1,
        Elig3,
        Elig4,
        Elig5,
        Cons1,
        Cons2,
        Cons3,
        Init1,
        Init2,
        Plan1,
        Time1,
        Time2,
        Time3,
        Time4,
        Time5,
        Time6,
        Code1,
        Code2,
        Code3,
        Code4,
        Code5,
        Code6,
        Cplx1,
        Pcm1,
        Apcm1,
        Excl1,
        Excl3,
        Excl4,
        Excl5,
        Excl6,
        Hold1,
        Fee1,
        Fee2,
        Close1,
        Close3,
    ];

    /// <summary>TCM and CCM in the same month conflict only before this date (R-EXCL-5).</summary>
    public static readonly DateOnly TcmWithCcmAllowedFrom = new(2020, 1, 1);
    /// <summary>APCM codes exist from CY2025 (R-APCM-1).</summary>
    public static readonly DateOnly ApcmFrom = new(2025, 1, 1);
    /// <summary>99437 and PCM codes exist from CY2022.</summary>
    public static readonly DateOnly Cy2022 = new(2022, 1, 1);

    public static readonly IReadOnlyDictionary<string, RuleInfo> All = BuildAll();

    private static Dictionary<string, RuleInfo> BuildAll()
    {
        RuleInfo[] rules =
        [
            new(Fact1, "Rules use occurredAt; explanations show occurredAt and recordedAt"),
            new(Elig1, "CCM needs two or more chronic condition groups"),
            new(Elig3, "PCM: one high-risk condition"),
            new(Elig4, "One billing practitioner at a time (dated assignment)"),
            new(Elig5, "Part B in force on the date of service"),
            new(Cons1, "Minutes before consent do not count; stored, shown as not countable"),
            new(Cons2, "Minutes count only inside the consent span of the practitioner billing the month"),
            new(Cons3, "Revocation takes effect at the end of its calendar month"),
            new(Init1, "Initiating visit required for new patients / not seen in 12 months (APCM: 3 years)"),
            new(Init2, "G0506 once per patient; its minutes never count; month close never emits it"),
            new(Plan1, "Active, signed, shared comprehensive care plan"),
            new(Time1, "Calendar month; no carry-over"),
            new(Time2, "Month boundary at local midnight in the practice zone; spanning entries split"),
            new(Time3, "Only clinical staff and the billing practitioner produce countable time"),
            new(Time4, "Gates on the start instant: consent, initiating visit, death, inpatient stay"),
            new(Time5, "Each entry counts for one program only"),
            new(Time6, "Entries of 1–240 whole minutes"),
            new(Code1, "Non-complex staff track 99490 + 99439"),
            new(Code2, "Practitioner track 99491 + 99437"),
            new(Code3, "One track per patient-month; no add-on without its base"),
            new(Code4, "Highest payment wins; tie: fewer lines"),
            new(Code5, "Date of service: last local day or date of death; priced with that year's schedule"),
            new(Code6, "MUE caps per code"),
            new(Cplx1, "Complex staff track 99487 + 99489 when MDM moderate/high and plan established or substantially revised"),
            new(Pcm1, "PCM 99424/99425 (practitioner), 99426/99427 (staff)", Cy2022),
            new(Apcm1, "APCM G0556–G0558, not time-based", ApcmFrom),
            new(Excl1, "One practitioner bills CCM per month"),
            new(Excl3, "No CCM with G0181/G0182 or ESRD 90951–90970"),
            new(Excl4, "CCM, PCM, APCM mutually exclusive for the same practitioner; APCM excludes TCM"),
            new(Excl5, "TCM with CCM in the same month is a conflict for dates of service before 2020-01-01", null, TcmWithCcmAllowedFrom),
            new(Excl6, "RPM and BHI may be billed alongside CCM"),
            new(Hold1, "Hold reasons; documentation holds only a month that reaches a threshold"),
            new(Fee1, "Unit price = round(RVU × CF, 2, away from zero); integer cents"),
            new(Fee2, "Coinsurance 20% assuming the Part B deductible is met; QMB pays none"),
            new(Close1, "Outcome order: conflict, not billable, documentation hold, claim"),
            new(Close3, "Early release: date of service is the first local day the month yields a claim, evaluated as of then"),
        ];
        var d = new Dictionary<string, RuleInfo>(StringComparer.Ordinal);
        foreach (var r in rules) d[r.Id] = r;
        return d;
    }

    public static bool Applies(string ruleId, DateOnly dateOfService) =>
        !All.TryGetValue(ruleId, out var r) || r.AppliesOn(dateOfService);
}

/// <summary>The rules applied to one evaluation, stored as bits and listed in catalogue order.</summary>
internal sealed class RuleIdList(ulong bits) : IReadOnlyList<string>
{
    public int Count => System.Numerics.BitOperations.PopCount(bits);

    public string this[int index]
    {
        get
        {
            var i = 0;
            foreach (var id in this) if (i++ == index) return id;
            throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < RuleCatalog.Ids.Length; i++)
            if ((bits & (1UL << i)) != 0) yield return RuleCatalog.Ids[i];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
