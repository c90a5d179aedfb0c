namespace CcmPlatform.Billing.Rules;

/// <summary>
/// What the worklist shows for a patient-month: countable minutes per track, the best payment now, and the
/// fewest further clinical-staff minutes after which the best payment rises (null if none within 600 minutes).
/// Without a fee schedule for the year, "payment" falls back to billed units so the next step is still shown.
/// </summary>
public sealed record LedgerView(
    CareProgram Program,
    bool Enrolled,
    int ClinicalStaffMinutes,
    int PractitionerMinutes,
    IReadOnlyList<TrackMinutes> CountableMinutes,
    long BestPaymentCents,
    bool Priced,
    int? FurtherStaffMinutesToRaisePayment,
    IReadOnlyList<NotCountedMinutes> NotCounted)
{
    /// <summary>Why minutes do not count or why no payment is possible yet, in the order a coordinator would fix them.</summary>
    public IReadOnlyList<LedgerReason> Reasons { get; init; } = [];
}

/// <summary>
/// One reason on the worklist: <see cref="Code"/> reuses the not-billable and hold codes of the claim (and
/// MINUTES_* for minutes that do not count), so the worklist and the close speak the same language.
/// </summary>
public sealed record LedgerReason(string Code, string Text);

public static class Ledger
{
    private const int Horizon = 600;

    public static LedgerView Summarize(PatientMonthFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var ev = new MonthEvaluation(facts);
        var s = ev.StaffMinutes;
        var m = ev.PractitionerMinutes;
        var perTrack = new List<TrackMinutes>(3);
        var fs = facts.FeeSchedules.ForYear(ev.DateOfService.Year);
        if (ev.BillingPractitionerId is null || !ev.Enrolled || ev.Program == CareProgram.Apcm)
            return new LedgerView(ev.Program, ev.Enrolled, s, m, perTrack, 0, false, null, ev.NotCounted) { Reasons = Reasons(ev, fs) };

        var qp = ev.BillingPractitioner?.IsQualifyingApmParticipant(ev.DateOfService.Year) == true;
        var mue = facts.Mue;
        if (ev.Program == CareProgram.Ccm)
        {
            perTrack.Add(new(Track.CcmNonComplex, s + m));
            if (ev.ComplexCriteriaMet) perTrack.Add(new(Track.CcmComplex, s + m));
            perTrack.Add(new(Track.CcmPractitioner, m));
        }
        else
        {
            perTrack.Add(new(Track.PcmStaff, s + m));
            perTrack.Add(new(Track.PcmPractitioner, m));
        }

        var now = Best(ev, s, m, fs, qp, mue);
        int? further = null;
        for (var k = 1; k <= Horizon; k++)
            if (Best(ev, s + k, m, fs, qp, mue) > now) { further = k; break; }
        return new LedgerView(ev.Program, true, s, m, perTrack, fs is null ? 0 : now, fs is not null, further, ev.NotCounted) { Reasons = Reasons(ev, fs) };
    }

    /// <summary>
    /// Everything that stops minutes counting or the month paying, not only the first blocker the close would
    /// report, so staff can fix them all at once. Below-threshold is left out: the next step already says it.
    /// </summary>
    private static List<LedgerReason> Reasons(MonthEvaluation ev, FeeSchedule? fs)
    {
        var reasons = new List<LedgerReason>();
        if (ev.BillingPractitionerId is null)
        {
            reasons.Add(new(NotBillableReason.NoBillingPractitioner.ToCode(), "No billing practitioner is assigned on the date of service."));
            return reasons;
        }
        if (!ev.Enrolled)
        {
            reasons.Add(new(NotBillableReason.NotEnrolled.ToCode(), "Not enrolled in CCM, PCM or APCM this month."));
            return reasons;
        }

        var coverage = ev.Facts.Coverage;
        if (coverage is null || !coverage.PartBInForceOn(ev.DateOfService))
            reasons.Add(new(NotBillableReason.NoPartBCoverage.ToCode(), $"No Medicare Part B coverage on {ev.DateOfService:yyyy-MM-dd}."));
        if (ev.Program == CareProgram.Ccm && ev.ConditionGroups < 2)
            reasons.Add(new(NotBillableReason.NotEligible.ToCode(), $"{ev.ConditionGroups} qualifying condition group(s); CCM needs two or more."));
        else if (ev.Program == CareProgram.Pcm && ev.ConditionGroups < 1)
            reasons.Add(new(NotBillableReason.NotEligible.ToCode(), "No qualifying condition for PCM."));
        if (!ev.HasConsent)
            reasons.Add(new(NotBillableReason.NoConsent.ToCode(), $"No {ev.Program.ToString().ToUpperInvariant()} consent for the billing practitioner yet."));
        if (ev.InitiatingVisitRequired && ev.InitiatingVisitMissing)
            reasons.Add(new(NotBillableReason.NoInitiatingVisit.ToCode(), "No initiating visit with the billing practitioner yet; minutes before it do not count."));
        if (fs is null)
            reasons.Add(new(HoldReason.FeeScheduleMissing.ToCode(), $"No fee schedule covers {ev.DateOfService.Year}; the month cannot be priced."));
        foreach (var doc in ev.DocumentationReasons(ev.Diagnoses(), feeScheduleMissing: false))
            reasons.Add(new(doc.ToCode(), DocumentationText(doc)));

        // Minutes of other months belong to those months, and voided entries were withdrawn on purpose.
        foreach (var group in ev.NotCounted
                     .Where(n => n.Reason is not (NotCountableReason.OtherMonth or NotCountableReason.Voided))
                     .GroupBy(n => n.Reason)
                     .OrderBy(g => g.Key))
            reasons.Add(new(group.Key.ToCode(), $"{group.Sum(n => n.Minutes)} minute(s) {MinutesText(group.Key)}."));
        return reasons;
    }

    private static string DocumentationText(HoldReason reason) => reason switch
    {
        HoldReason.NoActiveCarePlan => "No signed care plan is in force this month.",
        HoldReason.PlanNotSigned => "The care plan in force is not signed by the billing practitioner.",
        HoldReason.CarePlanNotShared => "The care plan has not been shared with the patient.",
        HoldReason.NoBillableDiagnosis => "No billable diagnosis: no entry names a condition and none is on file.",
        _ => reason.ToCode(),
    };

    private static string MinutesText(NotCountableReason reason) => reason switch
    {
        NotCountableReason.OtherProgram => "logged for another program do not count here",
        NotCountableReason.G0506Time => "of G0506 care-planning time never count",
        NotCountableReason.NonClinical => "by non-clinical staff do not count",
        NotCountableReason.BeforeConsent => "before consent do not count",
        NotCountableReason.AfterConsentEnded => "after consent ended do not count",
        NotCountableReason.BeforeInitiatingVisit => "before the initiating visit do not count",
        NotCountableReason.AfterDeath => "after the patient's death do not count",
        NotCountableReason.Inpatient => "during an inpatient stay do not count",
        _ => "do not count",
    };

    private static long Best(MonthEvaluation ev, int staff, int md, FeeSchedule? fs, bool qp, MueTable mue)
    {
        long best = 0;
        if (ev.Program == CareProgram.Ccm)
        {
            best = Max(best, Tracks.NonComplex, staff + md, fs, qp, mue);
            if (ev.ComplexCriteriaMet) best = Max(best, Tracks.Complex, staff + md, fs, qp, mue);
            best = Max(best, Tracks.CcmPractitioner, md, fs, qp, mue);
        }
        else
        {
            best = Max(best, Tracks.PcmStaff, staff + md, fs, qp, mue);
            best = Max(best, Tracks.PcmPractitioner, md, fs, qp, mue);
        }
        return best;
    }

    private static long Max(long best, in Tracks.TrackSpec spec, int minutes, FeeSchedule? fs, bool qp, MueTable mue)
    {
        var u = Tracks.Compute(spec, minutes, fs, qp, mue);
        var v = fs is null ? u.Base + u.AddOn : Tracks.Amount(spec, u, fs, qp);
        return v > best ? v : best;
    }
}
