namespace CcmPlatform.Billing.Rules;

/// <summary>Same patient-month conflicts found by the OIG (R-EXCL-1..6), effective-dated.</summary>
internal static class Exclusions
{
    /// <summary>Conflicts in R-HOLD-1 order; the services causing them go to <paramref name="services"/>.</summary>
    public static List<HoldReason>? Find(MonthEvaluation ev, out List<BilledService>? services)
    {
        services = null;
        var billed = ev.Facts.BilledElsewhere;
        var b = ev.BillingPractitionerId;
        var program = ev.Program;
        bool other = false, hospice = false, conflict = false, tcmPre2020 = false;
        var tcmConflictDate = ev.DateOfService < RuleCatalog.TcmWithCcmAllowedFrom;
        ev.Apply(RuleBit.Excl1);
        ev.Apply(RuleBit.Excl3);
        ev.Apply(RuleBit.Excl4);
        ev.Apply(RuleBit.Excl5);
        ev.Apply(RuleBit.Excl6);

        for (var i = 0; i < billed.Count; i++)
        {
            var s = billed[i];
            if (!ev.Month.Contains(s.Date)) continue;
            var sameDoc = s.PractitionerId == b;
            var sp = Codes.ProgramOf(s.Code);
            var hit = false;
            if (program == CareProgram.Ccm)
            {
                if (sp == CareProgram.Ccm)
                {
                    // Only one practitioner bills CCM per month (R-EXCL-1); the same one twice is a duplicate.
                    if (sameDoc) conflict = hit = true; else other = hit = true;
                }
                else if (Codes.IsHospiceOrHomeHealthOversight(s.Code) || Codes.IsEsrd(s.Code)) hospice = hit = true;
                else if (sp is CareProgram.Pcm or CareProgram.Apcm)
                {
                    if (sameDoc) conflict = hit = true;
                    else ev.AddNote($"Review: {s.Code} billed by {s.PractitionerId} on {s.Date:yyyy-MM-dd} (R-EXCL-4, different practitioner).");
                }
                else if (sp == CareProgram.Tcm)
                {
                    if (tcmConflictDate) tcmPre2020 = hit = true;
                    else ev.AddNote($"{s.Code} (TCM) in the same month is allowed from 2020-01-01 (R-EXCL-5).");
                }
                else if (sp is CareProgram.Rpm or CareProgram.Bhi)
                    ev.AddNote($"{s.Code} may be billed alongside CCM; its time is separate (R-EXCL-6).");
            }
            else if (program == CareProgram.Pcm)
            {
                if (sp is CareProgram.Ccm or CareProgram.Apcm or CareProgram.Pcm)
                {
                    if (sameDoc) conflict = hit = true;
                    else ev.AddNote($"Review: {s.Code} billed by {s.PractitionerId} on {s.Date:yyyy-MM-dd} (R-EXCL-4, different practitioner).");
                }
            }
            else if (program == CareProgram.Apcm)
            {
                if (sp is CareProgram.Ccm or CareProgram.Pcm or CareProgram.Tcm or CareProgram.Apcm)
                {
                    if (sameDoc) conflict = hit = true;
                    else ev.AddNote($"Review: {s.Code} billed by {s.PractitionerId} on {s.Date:yyyy-MM-dd} (R-EXCL-4, different practitioner).");
                }
            }
            if (hit) (services ??= []).Add(s);
        }
        if (!(other || hospice || conflict || tcmPre2020)) return null;
        var result = new List<HoldReason>(2);
        if (other) result.Add(HoldReason.ExclOtherPractitioner);
        if (hospice) result.Add(HoldReason.ExclHospiceHhEsrd);
        if (conflict) result.Add(HoldReason.ExclProgramConflict);
        if (tcmPre2020) result.Add(HoldReason.ExclTcmPre2020);
        return result;
    }
}
