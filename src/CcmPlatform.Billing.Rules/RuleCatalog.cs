namespace CcmPlatform.Billing.Rules;

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

    /// <summary>TCM and CCM in the same month conflict only before this date (R-EXCL-5).</summary>
    public static readonly DateOnly TcmWithCcmAllowedFrom = new(2020, 1, 1);
    /// <summary>APCM codes exist from CY2025 (R-APCM-1).</summary>
    public static readonly DateOnly ApcmFrom = new(2025, 1, 1);
    /// <summary>99437 and PCM codes exist from CY2022.</summary>
    public static readonly DateOnly Cy2022 = new(2022, 1, 1);

    public static readonly IReadOnlyDictionary<string, RuleInfo> All = new Dictionary<string, RuleInfo>
    {
        [Excl5] = new(Excl5, "TCM with CCM in the same month is a conflict for dates of service before 2020-01-01", null, TcmWithCcmAllowedFrom),
        [Apcm1] = new(Apcm1, "APCM G0556–G0558, not time-based", ApcmFrom),
        [Pcm1] = new(Pcm1, "PCM 99424–99427", Cy2022),
        [Code2] = new(Code2, "Practitioner track 99491 + 99437 (99437 from CY2022)"),
        [Code1] = new(Code1, "Non-complex staff track 99490 + 99439"),
        [Cplx1] = new(Cplx1, "Complex staff track 99487 + 99489 when MDM moderate/high and plan established or substantially revised"),
        [Code4] = new(Code4, "Highest payment wins; tie: fewer lines"),
        [Code5] = new(Code5, "Date of service: last local day or date of death; priced with that year's schedule"),
        [Code6] = new(Code6, "MUE caps per code"),
        [Excl1] = new(Excl1, "One practitioner bills CCM per month"),
        [Excl3] = new(Excl3, "No CCM with G0181/G0182 or ESRD 90951–90970"),
        [Excl4] = new(Excl4, "CCM, PCM, APCM mutually exclusive for the same practitioner; APCM excludes TCM"),
        [Excl6] = new(Excl6, "RPM and BHI may be billed alongside CCM"),
        [Fee1] = new(Fee1, "Unit price = round(RVU × CF, 2, away from zero)"),
        [Fee2] = new(Fee2, "Coinsurance 20% assuming the Part B deductible is met; QMB pays none"),
    };

    public static bool Applies(string ruleId, DateOnly dateOfService) =>
        !All.TryGetValue(ruleId, out var r) || r.AppliesOn(dateOfService);
}
