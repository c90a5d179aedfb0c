namespace CcmPlatform.Billing.Rules;

/// <summary>Result of an early-release evaluation (R-CLOSE-3). ReleaseDate is null when the month yields no claim yet.</summary>
public sealed record EarlyReleaseResult(DateOnly? ReleaseDate, MonthOutcome Outcome);

/// <summary>
/// Early release (R-CLOSE-3): the claim may go out once its threshold is met. The date of service is the first
/// local day on which the month, seen as of the end of that day, already yields a claim; later entries,
/// MDM and plan actions are ignored for that evaluation. Pure: the caller passes the instant of the request.
/// </summary>
public static class EarlyRelease
{
    public static EarlyReleaseResult Evaluate(PatientMonthFacts facts, DateTime asOfUtc)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var zone = Zones.Find(facts.PracticeTimeZone);
        var month = facts.Month;
        var asOfDate = Zones.LocalDate(asOfUtc, zone);
        var last = asOfDate < month.LastDay ? asOfDate : month.LastDay;
        MonthOutcome? latest = null;
        for (var day = month.FirstDay; day <= last; day = day.AddDays(1))
        {
            var endOfDay = Zones.EndOfLocalDayUtc(day, zone);
            var outcome = BillingEngine.Evaluate(AsOf(facts, day, endOfDay < asOfUtc ? endOfDay : asOfUtc));
            if (outcome is MonthOutcome.Claim) return new(day, outcome);
            latest = outcome;
        }
        // Before the month starts nothing can be released; report the month as it stands on its first day.
        return new(null, latest ?? BillingEngine.Evaluate(AsOf(facts, month.FirstDay, month.StartUtc(zone))));
    }

    /// <summary>The facts as they stood at <paramref name="cutoffUtc"/>, released on <paramref name="day"/>.</summary>
    internal static PatientMonthFacts AsOf(PatientMonthFacts facts, DateOnly day, DateTime cutoffUtc) => facts with
    {
        ReleaseDate = day,
        TimeEntries = facts.TimeEntries.Where(e => e.StartUtc < cutoffUtc).ToArray(),
        MdmAssessments = facts.MdmAssessments.Where(m => m.Date <= day).ToArray(),
        CarePlan = new CarePlanState(
            facts.CarePlan.Versions.Where(v => v.SignedAtUtc < cutoffUtc).ToArray(),
            facts.CarePlan.SubstantialRevisionsUtc.Where(r => r < cutoffUtc).ToArray()),
    };
}
