using System.Globalization;
using System.Text;

namespace CcmPlatform.Billing.Rules;

internal static class ExplanationText
{
    public static string Money(long cents)
    {
        var neg = cents < 0;
        var abs = neg ? -cents : cents;
        var s = string.Create(CultureInfo.InvariantCulture, $"${abs / 100:#,0}.{abs % 100:D2}");
        return neg ? "-" + s : s;
    }

    public static string Lines(IReadOnlyList<ClaimLine> lines)
    {
        if (lines.Count == 0) return "no lines";
        var sb = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0) sb.Append(" + ");
            sb.Append(lines[i].Code);
            if (lines[i].Units > 1) sb.Append('×').Append(lines[i].Units);
        }
        return sb.ToString();
    }

    public static string Render(Explanation e)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{e.Program} {e.Month}, date of service {e.DateOfService:yyyy-MM-dd}, billing practitioner {e.BillingPractitionerId ?? "none"}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Countable minutes: clinical staff {e.ClinicalStaffMinutes}, billing practitioner personally {e.PractitionerMinutes}\n");
        foreach (var n in e.NotCounted)
            sb.Append(CultureInfo.InvariantCulture, $"  not countable: entry {n.EntryId}, {n.Minutes} min ({n.Reason})\n");
        foreach (var c in e.Candidates)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  track {c.Track}: {c.Minutes} min (threshold {c.ThresholdMinutes}) → {Lines(c.Lines)}");
            if (c.AmountCents is { } a) sb.Append(' ').Append(Money(a));
            if (!c.IsCandidate && c.NotCandidateWhy is not null) sb.Append(" — not a candidate: ").Append(c.NotCandidateWhy);
            if (c.Won) sb.Append(" [billed]");
            sb.Append('\n');
        }
        if (e.WinnerWhy is not null) sb.Append("Why: ").Append(e.WinnerWhy).Append('\n');
        foreach (var b in e.BeyondCap)
            sb.Append(CultureInfo.InvariantCulture, $"  {b.Minutes} minutes beyond the {b.Code} cap of {b.Cap} on {b.Track}\n");
        foreach (var n in e.Notes) sb.Append("Note: ").Append(n).Append('\n');
        sb.Append("Rules: ").Append(string.Join(", ", e.RulesApplied)).Append('\n');
        return sb.ToString();
    }
}
