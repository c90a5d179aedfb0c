namespace CcmPlatform.Infrastructure.Http;

/// <summary>
/// DATE_OUT_OF_RANGE (docs/rules.md) for every service: a date no real record could carry is refused with 422
/// naming the field, because a mistyped year is otherwise stored silently and skews what counts (a stay
/// "admitted" in 0025 and never discharged takes every later minute out of billing). The floors and horizons
/// live here so the five services cannot drift apart.
/// </summary>
public static class PlausibleDates
{
    public const string Rule = "DATE_OUT_OF_RANGE";

    /// <summary>Nobody alive, or cared for, today was born or died before 1900: an earlier life fact is a typo.</summary>
    public static readonly DateOnly LifeFactsBegan = new(1900, 1, 1);

    /// <summary>
    /// The CCM codes were first payable on 1 January 2015: a care-team record (consent, visit, stay, roster
    /// start, medication change, plan, appointment, task) dated before that cannot bear on a CCM month.
    /// </summary>
    public static readonly DateOnly CcmCodesBegan = new(2015, 1, 1);

    /// <summary>Medicare Part B coverage first took effect on 1 July 1966.</summary>
    public static readonly DateOnly PartBBegan = new(1966, 7, 1);

    public static void NotBefore(DateTime valueUtc, DateOnly floor, string field, string why)
    {
        if (valueUtc < floor.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc))
        {
            throw OutOfRange(field, $"{field} {valueUtc:O} is before {floor:yyyy-MM-dd}, {why}.");
        }
    }

    public static void NotBefore(DateOnly value, DateOnly floor, string field, string why)
    {
        if (value < floor)
        {
            throw OutOfRange(field, $"{field} {value:yyyy-MM-dd} is before {floor:yyyy-MM-dd}, {why}.");
        }
    }

    /// <summary>A care-team record dated before the CCM codes began.</summary>
    public static void NotBeforeCcm(DateTime valueUtc, string field) => NotBefore(valueUtc, CcmCodesBegan, field, "when the CCM codes began");

    public static void NotBeforeCcm(DateOnly value, string field) => NotBefore(value, CcmCodesBegan, field, "when the CCM codes began");

    /// <summary>Coverage dated before Medicare Part B existed.</summary>
    public static void NotBeforePartB(DateOnly value, string field) => NotBefore(value, PartBBegan, field, "when Medicare Part B coverage began");

    public static void NotBeforePartB(DateTime valueUtc, string field) => NotBefore(valueUtc, PartBBegan, field, "when Medicare Part B coverage began");

    /// <summary>A birth or death before 1900.</summary>
    public static void NotBeforeLifeFacts(DateOnly value, string field) => NotBefore(value, LifeFactsBegan, field, "the earliest a patient's birth or death can be");

    public static void NotBeforeLifeFacts(DateTime valueUtc, string field) => NotBefore(valueUtc, LifeFactsBegan, field, "the earliest a patient's birth or death can be");

    /// <summary>
    /// A date that may lie ahead, but not by more than <paramref name="years"/> from <paramref name="today"/>: further out
    /// it is far more likely a mistyped year than a plan, and would sit unnoticed until then.
    /// </summary>
    public static void NotMoreYearsAhead(DateOnly value, DateOnly today, int years, string field)
    {
        if (value > today.AddYears(years))
        {
            throw OutOfRange(field, $"{field} {value:yyyy-MM-dd} is more than {Years(years)} from now.");
        }
    }

    public static void NotMoreYearsAhead(DateTime valueUtc, DateTime nowUtc, int years, string field)
    {
        if (valueUtc > nowUtc.AddYears(years))
        {
            throw OutOfRange(field, $"{field} {valueUtc:O} is more than {Years(years)} from now.");
        }
    }

    public static RuleViolationException OutOfRange(string field, string detail) => RuleViolationException.Unprocessable(field, Rule, detail);

    private static string Years(int years) => years == 1 ? "a year" : $"{years} years";
}
