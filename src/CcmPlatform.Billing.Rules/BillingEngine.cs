namespace CcmPlatform.Billing.Rules;

/// <summary>Evaluates one patient-month into exactly one outcome (R-CLOSE-1). Pure and deterministic.</summary>
public static class BillingEngine
{
    public static MonthOutcome Evaluate(PatientMonthFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var ev = new MonthEvaluation(facts);
        ev.Apply(RuleBit.Close1);

        if (ev.BillingPractitionerId is null || ev.BillingPractitioner is null)
        {
            var text = ev.BillingPractitionerId is null
                ? "no billing practitioner assigned on the date of service"
                : $"billing practitioner {ev.BillingPractitionerId} is not on file";
            return new MonthOutcome.NotBillable(NotBillableReason.NoBillingPractitioner, text, [], Explain(ev, [], null));
        }
        if (!ev.Enrolled)
            return new MonthOutcome.NotBillable(NotBillableReason.NotEnrolled, "not enrolled in CCM, PCM or APCM this month", [], Explain(ev, [], null));

        var year = ev.DateOfService.Year;
        var schedule = facts.FeeSchedules.ForYear(year);
        var qp = ev.BillingPractitioner.IsQualifyingApmParticipant(year);
        ev.Apply(RuleBit.Fee1);
        if (schedule is null) ev.AddNote($"No fee schedule is loaded for {year}; the month cannot be priced (R-CODE-5).");
        else if (qp && schedule.QpConversionFactor is not null) ev.AddNote($"Priced with the {year} Qualifying APM Participant conversion factor {schedule.QpConversionFactor}.");

        List<MinutesBeyondCap>? beyond = null;
        var candidates = Tracks.Build(ev, schedule, qp, facts.Mue, ref beyond);
        var winnerIndex = Tracks.PickWinner(candidates, schedule is not null);
        if (winnerIndex >= 0)
        {
            candidates[winnerIndex] = candidates[winnerIndex] with { Won = true };
            ev.Apply(RuleBit.Code3);
            ev.Apply(RuleBit.Code4);
        }

        var conflicts = Exclusions.Find(ev, out var conflictServices);
        var diagnoses = ev.Diagnoses();
        var docs = ev.DocumentationReasons(diagnoses, schedule is null);
        ev.Apply(RuleBit.Hold1);
        if (ev.Program == CareProgram.Pcm) ev.Apply(RuleBit.Elig3);

        // 1. Conflicts hold the month whatever its minutes.
        if (conflicts is not null)
        {
            var secondary = new HoldReason[conflicts.Count - 1 + docs.Length];
            for (var i = 1; i < conflicts.Count; i++) secondary[i - 1] = conflicts[i];
            docs.CopyTo(secondary, conflicts.Count - 1);
            IReadOnlyList<BilledService> services = conflictServices is null ? [] : conflictServices;
            return new MonthOutcome.Hold(conflicts[0], secondary, services, ConflictDetail(conflicts[0], services),
                Explain(ev, candidates, beyond));
        }

        // 2. Not billable: coverage, eligibility, consent, initiating visit, threshold.
        ev.Apply(RuleBit.Elig5);
        var notBillable = NotBillableStep(ev, facts.Coverage, candidates, schedule, year);
        if (notBillable is { } nb)
            return new MonthOutcome.NotBillable(nb.Reason, nb.Text, docs, Explain(ev, candidates, beyond));

        // 3. Documentation missing.
        if (docs.Length > 0)
            return new MonthOutcome.Hold(docs[0], docs[1..], [], DocDetail(docs[0], ev), Explain(ev, candidates, beyond));

        // 4. Claim.
        var w = candidates[winnerIndex];
        var total = w.AmountCents ?? 0;
        ev.Apply(RuleBit.Fee2);
        long coinsurance;
        if (facts.Coverage!.Qmb)
        {
            coinsurance = 0;
            ev.AddNote("QMB: the patient owes no coinsurance (R-FEE-2).");
        }
        else
        {
            coinsurance = (total * 2 + 5) / 10; // 20%, half away from zero on whole cents
            ev.AddNote("Coinsurance is 20% assuming the Part B deductible is met (R-FEE-2 policy).");
        }
        if (facts.PracticeFlags.WaivesCoinsurance)
            ev.AddNote("Review: the practice waives coinsurance; routine waiver is not allowed (R-FEE-2).");
        return new MonthOutcome.Claim(ev.Program, w.Track, w.Lines, ev.DateOfService, ev.BillingPractitionerId,
            ev.BillingPractitioner.Npi, diagnoses, total, coinsurance, Explain(ev, candidates, beyond));
    }

    private static (NotBillableReason Reason, string Text)? NotBillableStep(MonthEvaluation ev, Coverage? coverage,
        CandidateTrack[] candidates, FeeSchedule? schedule, int year)
    {
        if (coverage is null || !coverage.PartBInForceOn(ev.DateOfService))
            return (NotBillableReason.NoPartBCoverage, "no Part B coverage");
        if (ev.Program == CareProgram.Ccm && ev.ConditionGroups < 2)
        {
            ev.Apply(RuleBit.Elig1);
            return (NotBillableReason.NotEligible, $"{ev.ConditionGroups} qualifying condition group(s); CCM needs two or more");
        }
        if (ev.Program == CareProgram.Pcm && ev.ConditionGroups < 1)
            return (NotBillableReason.NotEligible, "no qualifying condition for PCM");
        if (!ev.HasConsent)
            return (NotBillableReason.NoConsent, "no consent on file");
        if (ev.InitiatingVisitRequired && ev.InitiatingVisitMissing)
            return (NotBillableReason.NoInitiatingVisit, ev.Program == CareProgram.Apcm
                ? "no initiating visit (the billing practitioner has not seen the patient in the 3 years before APCM)"
                : "no initiating visit");
        for (var i = 0; i < candidates.Length; i++)
            if (candidates[i].IsCandidate && candidates[i].Lines.Count > 0) return null;
        if (ev.Program == CareProgram.Apcm)
            return (NotBillableReason.NoPricedCode, $"no APCM code in the {year} fee schedule");
        var threshold = ev.Program == CareProgram.Pcm ? 30 : 20;
        var minutes = ev.StaffMinutes + ev.PractitionerMinutes;
        if (minutes >= threshold && schedule is not null)
            return (NotBillableReason.NoPricedCode, $"no candidate code is in the {year} fee schedule");
        return (NotBillableReason.BelowThreshold, $"{minutes} of {threshold} minutes");
    }

    private static string ConflictDetail(HoldReason primary, IReadOnlyList<BilledService> services)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(primary.ToCode()).Append(':');
        for (var i = 0; i < services.Count; i++)
        {
            var s = services[i];
            sb.Append(i == 0 ? " " : "; ").Append(s.Code).Append(" billed by ").Append(s.PractitionerId)
              .Append(" on ").Append(s.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static string DocDetail(HoldReason r, MonthEvaluation ev) => r switch
    {
        HoldReason.NoActiveCarePlan => "no signed care-plan version was in force in the month",
        HoldReason.PlanNotSigned => $"the active care-plan version is not signed by {ev.BillingPractitionerId}",
        HoldReason.CarePlanNotShared => "the active care-plan version was not given to the patient on or before the date of service",
        HoldReason.NoBillableDiagnosis => "no ICD-10-CM code on counted entries or qualifying conditions",
        HoldReason.FeeScheduleMissing => $"no fee schedule loaded for {ev.DateOfService.Year}",
        _ => r.ToCode(),
    };

    internal static Explanation Explain(MonthEvaluation ev, CandidateTrack[] candidates, List<MinutesBeyondCap>? beyond) =>
        new(ev.Month, ev.Program, ev.DateOfService, ev.BillingPractitionerId, new RuleIdList(ev.RuleBits),
            ev.StaffMinutes, ev.PractitionerMinutes, ev.NotCounted, candidates, beyond is null ? [] : beyond, ev.Notes);
}
