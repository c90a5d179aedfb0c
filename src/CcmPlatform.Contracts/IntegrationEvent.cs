namespace CcmPlatform.Contracts;

/// <summary>
/// Every integration event names the practice it belongs to, so consumers can keep per-practice
/// read models, and carries the two clocks of R-FACT-1 where it describes a fact.
/// </summary>
public interface IIntegrationEvent
{
    Guid PracticeId { get; }
}

public enum CareProgram
{
    Ccm,
    Pcm,
    Apcm,
    Rpm,
    Bhi,
    Tcm,
    EvaluationAndManagement,
    G0506,
}

public enum RosterKind
{
    /// <summary>RN, LPN, MA, pharmacist, licensed care manager: countable time (R-TIME-3).</summary>
    ClinicalStaff,
    /// <summary>Scheduler, front desk, billing: may log time, never countable.</summary>
    NonClinical,
    /// <summary>Physician, NP, PA, CNS, CNM: may bill (R-ELIG-4).</summary>
    Practitioner,
}

public enum MdmLevel
{
    None,
    Low,
    Moderate,
    High,
}
