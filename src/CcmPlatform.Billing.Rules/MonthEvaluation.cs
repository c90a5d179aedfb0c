namespace CcmPlatform.Billing.Rules;

/// <summary>
/// The facts of one patient-month reduced to what the outcome needs: month bounds in the practice zone, date
/// of service, billing practitioner, program, countable minutes. Shared by the engine and the ledger.
/// </summary>
internal sealed class MonthEvaluation
{
    public readonly PatientMonthFacts Facts;
    public readonly TimeZoneInfo Zone;
    public readonly ServiceMonth Month;
    public readonly DateTime MonthStartUtc, MonthEndUtc;
    public readonly DateTime? DeathInstantUtc;
    public readonly DateOnly DateOfService;
    public readonly DateTime DosEndUtc;
    public ulong RuleBits;
    public void Apply(RuleBit rule) => RuleBits |= 1UL << (int)rule;
    private List<string>? _notes;
    public IReadOnlyList<string> Notes => _notes is null ? [] : _notes;
    public void AddNote(string note) => (_notes ??= []).Add(note);

    public string? BillingPractitionerId;
    public Practitioner? BillingPractitioner;
    public CareProgram Program = CareProgram.Ccm;
    public bool Enrolled;

    // Time ledger
    public int StaffMinutes, PractitionerMinutes;
    private List<NotCountedMinutes>? _notCounted;
    public IReadOnlyList<NotCountedMinutes> NotCounted => _notCounted is null ? [] : _notCounted;
    private void NotCountable(string entryId, int minutes, NotCountableReason reason) => (_notCounted ??= []).Add(new(entryId, minutes, reason));
    public readonly List<string> EntryDiagnoses = [];
    public bool HasConsent;
    public bool InitiatingVisitRequired;
    public bool InitiatingVisitMissing;
    public bool ComplexCriteriaMet;
    public string? ComplexNotMetWhy;
    public int ConditionGroups;

    private DateTime _initiatingGateUtc = DateTime.MinValue;
    private List<(DateTime From, DateTime To)>? _consentSpans;

    public MonthEvaluation(PatientMonthFacts facts)
    {
        Facts = facts;
        Zone = Zones.Find(facts.PracticeTimeZone);
        Month = facts.Month;
        MonthStartUtc = Month.StartUtc(Zone);
        MonthEndUtc = Month.EndUtc(Zone);
        Apply(RuleBit.Fact1);
        Apply(RuleBit.Time1);
        Apply(RuleBit.Time2);

        DateOnly? deathDate = null;
        if (facts.DiedAtUtc is { } died)
        {
            DeathInstantUtc = died;
            deathDate = Zones.LocalDate(died, Zone);
        }
        else if (facts.DeathDate is { } dd)
        {
            // A date-only death ends at the end of that local day (R-TIME-4).
            DeathInstantUtc = Zones.EndOfLocalDayUtc(dd, Zone);
            deathDate = dd;
        }

        var dos = Month.LastDay;
        if (deathDate is { } d && d < dos && d >= Month.FirstDay) dos = d;
        if (facts.ReleaseDate is { } released && Month.Contains(released))
        {
            if (released < dos) dos = released;
            Apply(RuleBit.Close3);
        }
        DateOfService = dos;
        DosEndUtc = Zones.EndOfLocalDayUtc(dos, Zone);
        Apply(RuleBit.Code5);

        ResolveBillingPractitioner();
        ResolveProgram();
        CountConditionGroups();
        if (BillingPractitionerId is not null && Enrolled && Program != CareProgram.Apcm)
        {
            BuildConsentSpans();
            ResolveInitiatingVisit();
            CountMinutes();
            if (Program == CareProgram.Ccm) ResolveComplexCriteria();
        }
        else if (BillingPractitionerId is not null && Enrolled)
        {
            BuildConsentSpans();
            ResolveInitiatingVisit();
        }
    }

    private void ResolveBillingPractitioner()
    {
        // The billing practitioner on the date of service (R-ELIG-4, R-EXCL-1): the latest assignment in force that day.
        var dosStart = Zones.LocalMidnightUtc(DateOfService, Zone);
        BillingAssignment? best = null;
        var list = Facts.BillingAssignments;
        for (var i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (a.EffectiveFromUtc < DosEndUtc && (a.EffectiveToUtc is not { } to || to > dosStart)
                && (best is null || a.EffectiveFromUtc > best.EffectiveFromUtc))
                best = a;
        }
        Apply(RuleBit.Elig4);
        if (best is null) return;
        var ps = Facts.Practitioners;
        for (var i = 0; i < ps.Count; i++)
            if (ps[i].Id == best.PractitionerId) { BillingPractitioner = ps[i]; break; }
        BillingPractitionerId = best.PractitionerId;
    }

    private void ResolveProgram()
    {
        ProgramEnrollment? chosen = null;
        var list = Facts.Enrollments;
        for (var i = 0; i < list.Count; i++)
        {
            var e = list[i];
            if (e.Program is not (CareProgram.Ccm or CareProgram.Pcm or CareProgram.Apcm) || !e.Overlaps(Month)) continue;
            // Prefer the enrollment in force on the date of service, else the latest one in the month.
            if (chosen is null) { chosen = e; continue; }
            var cCovers = chosen.CoversDate(DateOfService);
            var eCovers = e.CoversDate(DateOfService);
            if ((eCovers && !cCovers) || (eCovers == cCovers && e.From > chosen.From)) chosen = e;
        }
        if (chosen is null) return;
        Enrolled = true;
        Program = chosen.Program;
    }

    private void CountConditionGroups()
    {
        var qc = Facts.QualifyingConditions;
        var multi = false;
        var n = 0;
        for (var i = 0; i < qc.Count; i++)
        {
            if (qc[i].GroupId.Contains('|', StringComparison.Ordinal)) { multi = true; break; }
            var dup = false;
            for (var j = 0; j < i; j++)
                if (string.Equals(qc[j].GroupId, qc[i].GroupId, StringComparison.Ordinal)) { dup = true; break; }
            if (!dup) n++;
        }
        ConditionGroups = multi ? MatchedGroups(qc) : n;
    }

    /// <summary>
    /// A condition in several CCW groups ("ccw:16|ccw:21") counts for one of them, chosen so that the most distinct groups
    /// are covered (a maximum matching of conditions to groups), as screening counts them (R-ELIG-2). Rare, so it may allocate.
    /// </summary>
    private static int MatchedGroups(IReadOnlyList<QualifyingCondition> qc)
    {
        var candidates = new string[qc.Count][];
        for (var i = 0; i < qc.Count; i++)
            candidates[i] = qc[i].GroupId.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        var matched = 0;
        for (var i = 0; i < qc.Count; i++)
            if (Augment(i, candidates, owner, new HashSet<string>(StringComparer.Ordinal))) matched++;
        return matched;
    }

    private static bool Augment(int condition, string[][] candidates, Dictionary<string, int> owner, HashSet<string> seen)
    {
        foreach (var group in candidates[condition])
        {
            if (!seen.Add(group)) continue;
            if (!owner.TryGetValue(group, out var other) || Augment(other, candidates, owner, seen))
            {
                owner[group] = condition;
                return true;
            }
        }
        return false;
    }

    private void BuildConsentSpans()
    {
        _consentSpans = new List<(DateTime, DateTime)>(2);
        var list = Facts.Consents;
        for (var i = 0; i < list.Count; i++)
        {
            var c = list[i];
            if (c.Program != Program || c.Declined || c.PractitionerId != BillingPractitionerId) continue;
            // Revocation takes effect at the end of the calendar month in which it is made (R-CONS-3).
            var to = c.RevokedAtUtc is { } rev ? Zones.MonthOf(rev, Zone).EndUtc(Zone) : DateTime.MaxValue;
            if (to <= c.OccurredAtUtc) continue;
            _consentSpans.Add((c.OccurredAtUtc, to));
            if (c.OccurredAtUtc < DosEndUtc && to > MonthStartUtc) HasConsent = true;
        }
        Apply(RuleBit.Cons1);
        Apply(RuleBit.Cons2);
        Apply(RuleBit.Cons3);
    }

    private void ResolveInitiatingVisit()
    {
        var apcm = Program == CareProgram.Apcm;
        if (Facts.InitiatingVisitRequired is { } req) InitiatingVisitRequired = req;
        else
        {
            // Program start: earliest enrollment of this program, else the earliest consent for it.
            DateOnly? start = null;
            foreach (var e in Facts.Enrollments)
                if (e.Program == Program && (start is null || e.From < start)) start = e.From;
            if (start is null)
                foreach (var c in Facts.Consents)
                    if (c.Program == Program && !c.Declined)
                    {
                        var d = Zones.LocalDate(c.OccurredAtUtc, Zone);
                        if (start is null || d < start) start = d;
                    }
            start ??= Month.FirstDay;
            var lookbackFrom = apcm ? start.Value.AddYears(-3) : start.Value.AddMonths(-12);
            var seen = false;
            foreach (var v in Facts.VisitHistory)
                if (v.PractitionerId == BillingPractitionerId && v.Date >= lookbackFrom && v.Date < start.Value) { seen = true; break; }
            InitiatingVisitRequired = !seen;
        }
        if (!InitiatingVisitRequired) return;
        Apply(RuleBit.Init1);
        var gate = DateTime.MaxValue;
        var visits = Facts.InitiatingVisits;
        for (var i = 0; i < visits.Count; i++)
        {
            var v = visits[i];
            if (Codes.IsInitiatingVisit(v.Code) && v.PractitionerId == BillingPractitionerId && v.EndUtc < gate) gate = v.EndUtc;
        }
        _initiatingGateUtc = gate;
        InitiatingVisitMissing = gate >= DosEndUtc;
    }

    private void CountMinutes()
    {
        Apply(RuleBit.Time3);
        Apply(RuleBit.Time4);
        Apply(RuleBit.Time5);
        var entries = Facts.TimeEntries;
        var sawG0506 = false;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (e.Minutes <= 0) continue; // refused at entry (R-TIME-6); never counted if it slips through
            var start = e.StartUtc;
            var end = start.AddMinutes(e.Minutes);
            var inStart = start > MonthStartUtc ? start : MonthStartUtc;
            var inEnd = end < MonthEndUtc ? end : MonthEndUtc;
            // An entry spanning the month's local midnight is split there (R-TIME-2).
            var inMinutes = inEnd > inStart ? (int)((inEnd - inStart).Ticks / TimeSpan.TicksPerMinute) : 0;
            if (inMinutes > e.Minutes) inMinutes = e.Minutes;
            var outMinutes = e.Minutes - inMinutes;
            if (outMinutes > 0) NotCountable(e.Id, outMinutes, NotCountableReason.OtherMonth);
            if (inMinutes == 0) continue;
            // Split before the void: a voided entry of another month is that month's withdrawn time, so it must not
            // inflate this month's not-countable minutes.
            if (e.Voided) { NotCountable(e.Id, inMinutes, NotCountableReason.Voided); continue; }

            var reason = Classify(e, inStart);
            if (reason is { } r)
            {
                if (r == NotCountableReason.G0506Time) sawG0506 = true;
                NotCountable(e.Id, inMinutes, r);
                continue;
            }
            if (e.StaffPractitionerId is not null && e.StaffPractitionerId == BillingPractitionerId)
                PractitionerMinutes += inMinutes;
            else
                StaffMinutes += inMinutes; // a practitioner who does not bill the month counts as clinical staff (R-TIME-3)
            var codes = e.ConditionsAddressed;
            for (var k = 0; k < codes.Count; k++)
            {
                var code = codes[k];
                if (string.IsNullOrWhiteSpace(code)) continue;
                if (!EntryDiagnoses.Contains(code)) EntryDiagnoses.Add(code);
            }
        }
        if (sawG0506) Apply(RuleBit.Init2);
    }

    private NotCountableReason? Classify(TimeEntry e, DateTime t)
    {
        if (e.Program != Program)
            return e.Program == CareProgram.G0506 ? NotCountableReason.G0506Time : NotCountableReason.OtherProgram;
        if (e.Role == StaffRoleKind.NonClinical) return NotCountableReason.NonClinical;
        var spans = _consentSpans!;
        var inside = false;
        var afterSome = false;
        for (var i = 0; i < spans.Count; i++)
        {
            if (t >= spans[i].From && t < spans[i].To) { inside = true; break; }
            if (t >= spans[i].From) afterSome = true;
        }
        if (!inside) return afterSome ? NotCountableReason.AfterConsentEnded : NotCountableReason.BeforeConsent;
        if (InitiatingVisitRequired && t < _initiatingGateUtc) return NotCountableReason.BeforeInitiatingVisit;
        if (DeathInstantUtc is { } death && t >= death) return NotCountableReason.AfterDeath;
        var stays = Facts.InpatientStays;
        for (var i = 0; i < stays.Count; i++)
        {
            var s = stays[i];
            if (t >= s.AdmittedUtc && (s.DischargedUtc is not { } dis || t < dis)) return NotCountableReason.Inpatient;
        }
        return null;
    }

    private void ResolveComplexCriteria()
    {
        // Indexed loops: foreach over IReadOnlyList boxes the enumerator, once per patient-month.
        var mdmOk = false;
        var mdm = Facts.MdmAssessments;
        for (var i = 0; i < mdm.Count; i++)
        {
            var m = mdm[i];
            if (Month.Contains(m.Date) && m.PractitionerId == BillingPractitionerId && m.Level >= MdmLevel.Moderate) { mdmOk = true; break; }
        }

        var versions = Facts.CarePlan.Versions;
        DateTime? firstActivated = null;
        for (var i = 0; i < versions.Count; i++)
            if (firstActivated is null || versions[i].ActiveFromUtc < firstActivated) firstActivated = versions[i].ActiveFromUtc;
        var established = firstActivated is { } fa && fa >= MonthStartUtc && fa < MonthEndUtc;
        var revised = false;
        var revisions = Facts.CarePlan.SubstantialRevisionsUtc;
        for (var i = 0; i < revisions.Count; i++)
            if (revisions[i] >= MonthStartUtc && revisions[i] < MonthEndUtc) { revised = true; break; }

        ComplexCriteriaMet = mdmOk && (established || revised);
        if (!mdmOk) ComplexNotMetWhy = "no moderate or high MDM recorded by the billing practitioner this month";
        else if (!ComplexCriteriaMet) ComplexNotMetWhy = "care plan neither established nor substantially revised this month";
    }

    /// <summary>Documentation reasons of R-HOLD-1, in report order.</summary>
    public HoldReason[] DocumentationReasons(IReadOnlyList<string> diagnoses, bool feeScheduleMissing)
    {
        Span<HoldReason> list = stackalloc HoldReason[4];
        var n = 0;
        var versions = Facts.CarePlan.Versions;
        CarePlanVersion? active = null;
        var any = false;
        for (var i = 0; i < versions.Count; i++)
        {
            var v = versions[i];
            // In force at any instant of the month (up to the date of service).
            if (v.ActiveFromUtc >= DosEndUtc || (v.ActiveToUtc is { } to && to <= MonthStartUtc)) continue;
            if (v.ActiveToUtc is { } t2 && t2 <= v.ActiveFromUtc) continue;
            any = true;
            if (active is null || v.ActiveFromUtc > active.ActiveFromUtc) active = v;
        }
        if (!any) list[n++] = HoldReason.NoActiveCarePlan; // reported alone among the plan reasons
        else
        {
            if (active!.SignedByPractitionerId != BillingPractitionerId) list[n++] = HoldReason.PlanNotSigned;
            if (active.SharedAtUtc is not { } shared || shared >= DosEndUtc) list[n++] = HoldReason.CarePlanNotShared;
        }
        if (diagnoses.Count == 0) list[n++] = HoldReason.NoBillableDiagnosis;
        if (feeScheduleMissing) list[n++] = HoldReason.FeeScheduleMissing;
        return n == 0 ? [] : list[..n].ToArray();
    }

    public List<string> Diagnoses()
    {
        if (EntryDiagnoses.Count > 0)
        {
            if (EntryDiagnoses.Count > 12) EntryDiagnoses.RemoveRange(12, EntryDiagnoses.Count - 12);
            return EntryDiagnoses;
        }
        var result = new List<string>(Math.Min(12, Facts.QualifyingConditions.Count));
        var qc = Facts.QualifyingConditions;
        for (var i = 0; i < qc.Count && result.Count < 12; i++)
            if (!string.IsNullOrWhiteSpace(qc[i].Icd10Code) && !result.Contains(qc[i].Icd10Code)) result.Add(qc[i].Icd10Code);
        return result;
    }
}
