using System.Text;

namespace CcmPlatform.Billing.Rules;

/// <summary>Code selection per track (R-CODE-1/2, R-CPLX-1, R-PCM-1, R-APCM-1) and the track choice (R-CODE-4).</summary>
internal static class Tracks
{
    internal readonly record struct TrackSpec(Track Track, KnownCode Base, int Threshold, KnownCode AddOn, int Step)
    {
        public string BaseName => KnownCodes.Names[(int)Base];
        public string AddOnName => KnownCodes.Names[(int)AddOn];
    }

    internal static readonly TrackSpec NonComplex = new(Track.CcmNonComplex, KnownCode.C99490, 20, KnownCode.C99439, 20);
    internal static readonly TrackSpec Complex = new(Track.CcmComplex, KnownCode.C99487, 60, KnownCode.C99489, 30);
    internal static readonly TrackSpec CcmPractitioner = new(Track.CcmPractitioner, KnownCode.C99491, 30, KnownCode.C99437, 30);
    internal static readonly TrackSpec PcmPractitioner = new(Track.PcmPractitioner, KnownCode.C99424, 30, KnownCode.C99425, 30);
    internal static readonly TrackSpec PcmStaff = new(Track.PcmStaff, KnownCode.C99426, 30, KnownCode.C99427, 30);

    /// <summary>Units of a time-based track: base (0/1), add-on units after the MUE, minutes beyond the cap (cap -1: none).</summary>
    internal readonly record struct Units(int Base, int AddOn, int BeyondCapMinutes, int AddOnCap);

    internal static Units Compute(in TrackSpec spec, int minutes, FeeSchedule? fs, bool qp, MueTable mue)
    {
        if (minutes < spec.Threshold || mue.Known(spec.Base) == 0) return default;
        if (fs is not null && fs.Known(spec.Base, qp) < 0) return default;
        var raw = (minutes - spec.Threshold) / spec.Step; // each add-on needs a full further step
        // An add-on absent from the year's schedule is not a candidate line (R-CODE-5).
        if (fs is not null && fs.Known(spec.AddOn, qp) < 0) return new Units(1, 0, 0, -1);
        var cap = mue.Known(spec.AddOn);
        var units = cap >= 0 && raw > cap ? cap : raw;
        var beyond = units < raw ? minutes - spec.Threshold - units * spec.Step : 0;
        return new Units(1, units, beyond, cap);
    }

    internal static long Amount(in TrackSpec spec, in Units u, FeeSchedule fs, bool qp)
    {
        if (u.Base == 0) return 0;
        var amount = fs.Known(spec.Base, qp);
        if (u.AddOn > 0) amount += fs.Known(spec.AddOn, qp) * u.AddOn;
        return amount;
    }

    internal static CandidateTrack Evaluate(in TrackSpec spec, int minutes, bool criteriaMet, string? notCandidateWhy,
        FeeSchedule? fs, bool qp, MueTable mue, ref List<MinutesBeyondCap>? beyond)
    {
        if (!criteriaMet)
            return new CandidateTrack(spec.Track, minutes, spec.Threshold, false, notCandidateWhy, [], null, false);
        if (fs is not null && fs.Known(spec.Base, qp) < 0)
            return new CandidateTrack(spec.Track, minutes, spec.Threshold, false, $"{spec.BaseName} is not in the {fs.Year} fee schedule", [], null, false);
        var u = Compute(spec, minutes, fs, qp, mue);
        if (u.Base == 0)
            return new CandidateTrack(spec.Track, minutes, spec.Threshold, true, null, [], fs is null ? null : 0, false);
        var basePrice = fs?.Known(spec.Base, qp) ?? 0;
        ClaimLine[] lines;
        if (u.AddOn > 0)
        {
            var addPrice = fs?.Known(spec.AddOn, qp) ?? 0;
            lines = [new ClaimLine(spec.BaseName, 1, basePrice, basePrice), new ClaimLine(spec.AddOnName, u.AddOn, addPrice, addPrice * u.AddOn)];
        }
        else lines = [new ClaimLine(spec.BaseName, 1, basePrice, basePrice)];
        if (u.BeyondCapMinutes > 0)
            (beyond ??= []).Add(new MinutesBeyondCap(spec.Track, spec.AddOnName, u.AddOnCap, u.BeyondCapMinutes));
        return new CandidateTrack(spec.Track, minutes, spec.Threshold, true, null, lines, fs is null ? null : Amount(spec, u, fs, qp), false);
    }

    internal static CandidateTrack[] Build(MonthEvaluation ev, FeeSchedule? fs, bool qp, MueTable mue, ref List<MinutesBeyondCap>? beyond)
    {
        var staffTrackMinutes = ev.StaffMinutes + ev.PractitionerMinutes;
        switch (ev.Program)
        {
            case CareProgram.Ccm:
                ev.Apply(RuleBit.Code1);
                ev.Apply(RuleBit.Code2);
                ev.Apply(RuleBit.Cplx1);
                ev.Apply(RuleBit.Code6);
                return
                [
                    Evaluate(NonComplex, staffTrackMinutes, true, null, fs, qp, mue, ref beyond),
                    Evaluate(Complex, staffTrackMinutes, ev.ComplexCriteriaMet, ev.ComplexNotMetWhy, fs, qp, mue, ref beyond),
                    Evaluate(CcmPractitioner, ev.PractitionerMinutes, true, null, fs, qp, mue, ref beyond),
                ];
            case CareProgram.Pcm:
                ev.Apply(RuleBit.Pcm1);
                ev.Apply(RuleBit.Code6);
                return
                [
                    Evaluate(PcmStaff, staffTrackMinutes, true, null, fs, qp, mue, ref beyond),
                    Evaluate(PcmPractitioner, ev.PractitionerMinutes, true, null, fs, qp, mue, ref beyond),
                ];
            case CareProgram.Apcm:
                ev.Apply(RuleBit.Apcm1);
                return [Apcm(ev, fs, qp)];
            default:
                return [];
        }
    }

    private static CandidateTrack Apcm(MonthEvaluation ev, FeeSchedule? fs, bool qp)
    {
        var qmb = ev.Facts.Coverage?.Qmb == true;
        var code = ev.ConditionGroups < 2 ? KnownCode.G0556 : qmb ? KnownCode.G0558 : KnownCode.G0557;
        var name = KnownCodes.Names[(int)code];
        if (fs is not null && fs.Known(code, qp) < 0)
            return new CandidateTrack(Track.Apcm, 0, 0, false, $"{name} is not in the {fs.Year} fee schedule", [], null, false);
        var price = fs?.Known(code, qp) ?? 0;
        return new CandidateTrack(Track.Apcm, 0, 0, true, null, [new ClaimLine(name, 1, price, price)], fs is null ? null : price, false);
    }

    /// <summary>Highest payment wins; tie: fewer lines; then catalogue order. -1 when none is billable or unpriced.</summary>
    internal static int PickWinner(CandidateTrack[] c, bool priced)
    {
        if (!priced) return -1;
        var best = -1;
        for (var i = 0; i < c.Length; i++)
        {
            var t = c[i];
            if (!t.IsCandidate || t.Lines.Count == 0 || t.AmountCents is null) continue;
            if (best < 0) { best = i; continue; }
            var b = c[best];
            if (t.AmountCents > b.AmountCents || (t.AmountCents == b.AmountCents && t.Lines.Count < b.Lines.Count)) best = i;
        }
        return best;
    }

    internal static string? WhyWinner(IReadOnlyList<CandidateTrack> c)
    {
        var winner = -1;
        for (var i = 0; i < c.Count; i++) if (c[i].Won) { winner = i; break; }
        if (winner < 0) return null;
        var w = c[winner];
        var sb = new StringBuilder();
        sb.Append(ExplanationText.Lines(w.Lines)).Append(" (").Append(ExplanationText.Money(w.AmountCents ?? 0)).Append(')');
        var first = true;
        var tie = false;
        for (var i = 0; i < c.Count; i++)
        {
            if (i == winner) continue;
            var t = c[i];
            if (!t.IsCandidate || t.Lines.Count == 0) continue;
            sb.Append(first ? " beats " : " and ");
            first = false;
            sb.Append(ExplanationText.Lines(t.Lines)).Append(" (").Append(ExplanationText.Money(t.AmountCents ?? 0)).Append(')');
            if (t.AmountCents == w.AmountCents) tie = true;
        }
        if (first) sb.Append(": the only track that reaches its threshold");
        else sb.Append(tie ? ": equal payment, fewer claim lines (R-CODE-4)" : ": highest payment (R-CODE-4)");
        for (var i = 0; i < c.Count; i++)
            if (!c[i].IsCandidate && c[i].NotCandidateWhy is { } why)
                sb.Append("; ").Append(c[i].Track).Append(" not a candidate: ").Append(why);
        return sb.ToString();
    }
}
