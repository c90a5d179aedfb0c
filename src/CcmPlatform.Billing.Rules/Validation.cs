namespace CcmPlatform.Billing.Rules;

/// <summary>Result of a pure validation: allowed, or refused with the HTTP status, rule and field to report.</summary>
public readonly record struct RuleCheck(bool Allowed, int StatusCode, string? RuleId, string? Field, string? Detail)
{
    public static readonly RuleCheck Ok = new(true, 200, null, null, null);
    public static RuleCheck Unprocessable(string rule, string field, string detail) => new(false, 422, rule, field, detail);
}

/// <summary>Checks a new time entry must pass before it is stored (R-FACT-1, R-TIME-6, R-CONS-3).</summary>
public static class TimeEntryRules
{
    public const int MaxMinutes = 240;

    /// <summary>R-TIME-6: a whole number of minutes, 1–240.</summary>
    public static RuleCheck ValidateMinutes(int minutes) =>
        minutes is >= 1 and <= MaxMinutes
            ? RuleCheck.Ok
            : RuleCheck.Unprocessable(RuleCatalog.Time6, "minutes", $"An entry has 1–{MaxMinutes} whole minutes; got {minutes}. Split longer work into entries.");

    /// <summary>R-FACT-1: occurredAt may be in the past, never in the future.</summary>
    public static RuleCheck ValidateOccurredAt(DateTime occurredAtUtc, DateTime nowUtc) =>
        occurredAtUtc <= nowUtc
            ? RuleCheck.Ok
            : RuleCheck.Unprocessable(RuleCatalog.Fact1, "occurredAt", "occurredAt is in the future.");

    /// <summary>
    /// R-CONS-3: after a revocation, entries dated after the revocation's calendar month (practice zone) for that
    /// program are refused, unless consent was given again after the revocation. Entries before any consent are
    /// stored, not refused (R-CONS-1).
    /// </summary>
    public static RuleCheck ValidateAgainstConsent(CareProgram program, DateTime entryStartUtc, IReadOnlyList<Consent> consents, string practiceTimeZone)
    {
        var zone = Zones.Find(practiceTimeZone);
        DateTime? latestEffectiveRevocation = null;
        for (var i = 0; i < consents.Count; i++)
        {
            var c = consents[i];
            if (c.Program != program || c.Declined || c.RevokedAtUtc is not { } rev) continue;
            var effectiveEnd = Zones.MonthOf(rev, zone).EndUtc(zone);
            if (entryStartUtc >= effectiveEnd && (latestEffectiveRevocation is null || rev > latestEffectiveRevocation))
                latestEffectiveRevocation = rev;
        }
        if (latestEffectiveRevocation is not { } r) return RuleCheck.Ok;
        for (var i = 0; i < consents.Count; i++)
        {
            var c = consents[i];
            if (c.Program == program && !c.Declined && c.OccurredAtUtc > r && c.OccurredAtUtc <= entryStartUtc
                && (c.RevokedAtUtc is not { } rev2 || entryStartUtc < Zones.MonthOf(rev2, zone).EndUtc(zone)))
                return RuleCheck.Ok;
        }
        return RuleCheck.Unprocessable(RuleCatalog.Cons3, "start",
            $"{program} consent was revoked on {Zones.LocalDate(r, zone):yyyy-MM-dd}; entries after that month are refused.");
    }
}

/// <summary>G0506 may be recorded once per patient, with the initiating visit on that visit's date (R-INIT-2).</summary>
public static class G0506Rules
{
    public static RuleCheck CanRecord(IReadOnlyList<G0506Record> history, DateOnly date, IReadOnlyList<InitiatingVisit> initiatingVisits, string practiceTimeZone)
    {
        if (history.Count > 0)
            return RuleCheck.Unprocessable(RuleCatalog.Init2, "code",
                $"G0506 was already recorded on {history[0].Date:yyyy-MM-dd}; it may be billed once per patient.");
        var zone = Zones.Find(practiceTimeZone);
        for (var i = 0; i < initiatingVisits.Count; i++)
        {
            var v = initiatingVisits[i];
            if (Codes.IsInitiatingVisit(v.Code) && Zones.LocalDate(v.StartUtc, zone) == date) return RuleCheck.Ok;
        }
        return RuleCheck.Unprocessable(RuleCatalog.Init2, "date", "G0506 is recorded with the initiating visit, on that visit's date.");
    }

    /// <summary>Minutes attributed to G0506 never count as care-management time.</summary>
    public static bool CountsAsCareManagementTime(CareProgram program) => program != CareProgram.G0506;
}
