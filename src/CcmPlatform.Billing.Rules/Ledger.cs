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
    IReadOnlyList<NotCountedMinutes> NotCounted);

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
        if (ev.BillingPractitionerId is null || !ev.Enrolled || ev.Program == CareProgram.Apcm)
            return new LedgerView(ev.Program, ev.Enrolled, s, m, perTrack, 0, false, null, ev.NotCounted);

        var fs = facts.FeeSchedules.ForYear(ev.DateOfService.Year);
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
        return new LedgerView(ev.Program, true, s, m, perTrack, fs is null ? 0 : now, fs is not null, further, ev.NotCounted);
    }

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
