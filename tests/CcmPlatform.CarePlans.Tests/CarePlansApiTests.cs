using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.CarePlans.Data;
using CcmPlatform.Contracts;
using CcmPlatform.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CcmPlatform.CarePlans.Tests;

public sealed class CarePlansApiTests(ServiceFactory<Program, CarePlansDbContext> factory) : IClassFixture<ServiceFactory<Program, CarePlansDbContext>>
{
    private sealed record Seeded(Guid PracticeId, Guid PatientId, Guid PractitionerId, Guid NurseId, Guid OtherPractitionerId);

    private async Task<Seeded> SeedAsync(string conditionsJson = "[]")
    {
        var s = new Seeded(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await factory.WithDb(db =>
        {
            db.Patients.Add(new PatientView { Id = s.PatientId, PracticeId = s.PracticeId, Name = "Pat <Test>", ConditionsJson = conditionsJson });
            db.BillingAssignments.Add(new BillingAssignment { Id = Guid.NewGuid(), PatientId = s.PatientId, PracticeId = s.PracticeId, PractitionerId = s.PractitionerId, EffectiveFrom = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
            return db.SaveChangesAsync();
        });
        await factory.EnrolAsync(s.PracticeId, RosterKind.Practitioner, s.PractitionerId);
        await factory.EnrolAsync(s.PracticeId, RosterKind.ClinicalStaff, s.NurseId);
        await factory.EnrolAsync(s.PracticeId, RosterKind.Practitioner, s.OtherPractitionerId);
        return s;
    }

    private static object FullPlan(Guid patientId, Guid responsible, string outcome = "A1c under 8") => new
    {
        patientId,
        problems = new[] { new { icd10 = "E11.9", description = "Type 2 diabetes" } },
        expectedOutcome = outcome,
        prognosis = "Good with adherence",
        goals = new[] { new { description = "A1c", target = "< 8%", targetDate = "2025-09-01" } },
        symptomManagement = "Hypoglycaemia plan",
        interventions = new[] { new { description = "Monthly call", responsibleRosterId = responsible } },
        medicationManagement = "Metformin 500 mg bid",
        communityResources = "Diabetes class at YMCA",
        coordination = "Endocrinology referral",
        reviewDate = "2025-06-01",
        occurredAt = "2025-01-15T15:00:00Z",
    };

    private async Task<(Guid Id, string ETag)> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/careplans/plans", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var plan = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (plan.GetProperty("id").GetGuid(), response.Headers.ETag!.Tag);
    }

    private static HttpRequestMessage Put(Guid planId, object body, string? etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/careplans/plans/{planId}") { Content = JsonContent.Create(body) };
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        }

        return request;
    }

    [Fact]
    [Trait("Rule", "R-PLAN-1")]
    public async Task GivenIncompletePlan_WhenSigned_Then422ListingEveryMissingElement()
    {
        var s = await SeedAsync();
        var (planId, _) = await CreateAsync(factory.ClientAs("care-coordinator", s.NurseId), new { patientId = s.PatientId, problems = new[] { new { icd10 = "I10", description = "Hypertension" } }, expectedOutcome = "BP controlled" });

        var sign = await factory.ClientAs("practitioner", s.PractitionerId).PostAsJsonAsync($"/api/careplans/plans/{planId}/sign", new { occurredAt = DateTime.UtcNow.AddMinutes(-1) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, sign.StatusCode);
        var problem = await sign.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("R-PLAN-1", problem.GetProperty("rule").GetString());
        var missing = problem.GetProperty("missing").EnumerateArray().Select(m => m.GetString()!).ToHashSet();
        Assert.Equal(["prognosis", "goals", "symptomManagement", "interventions", "medicationManagement", "communityResources", "coordination", "reviewDate"], missing);
        Assert.Equal(0, await factory.WithDb(db => db.OutboxMessages.CountAsync(m => m.MessageType == typeof(CarePlanActivated).FullName && m.Payload.Contains(planId.ToString()))));
    }

    [Fact]
    [Trait("Rule", "R-PLAN-2")]
    public async Task GivenPractitionerWhoDoesNotBill_WhenSigning_Then403()
    {
        var s = await SeedAsync();
        var (planId, _) = await CreateAsync(factory.ClientAs("care-coordinator", s.NurseId), FullPlan(s.PatientId, s.NurseId));

        var sign = await factory.ClientAs("practitioner", s.OtherPractitionerId).PostAsJsonAsync($"/api/careplans/plans/{planId}/sign", new { occurredAt = DateTime.UtcNow.AddMinutes(-1) });
        Assert.Equal(HttpStatusCode.Forbidden, sign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.ClientAs("care-coordinator", s.NurseId).PostAsJsonAsync($"/api/careplans/plans/{planId}/sign", new { })).StatusCode);
    }

    [Fact]
    [Trait("Rule", "R-PLAN-2")]
    public async Task GivenPractitionerWhoDoesNotBill_WhenSigning_Then403ErrorsNamesTheTokenAndWhoIsRefused()
    {
        var s = await SeedAsync();
        var (planId, _) = await CreateAsync(factory.ClientAs("care-coordinator", s.NurseId), FullPlan(s.PatientId, s.NurseId));

        var sign = await factory.ClientAs("practitioner", s.OtherPractitionerId).PostAsJsonAsync($"/api/careplans/plans/{planId}/sign", new { occurredAt = DateTime.UtcNow.AddMinutes(-1) });

        Assert.Equal(HttpStatusCode.Forbidden, sign.StatusCode);
        var problem = await sign.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("R-PLAN-2", problem.GetProperty("rule").GetString());
        Assert.Contains(s.OtherPractitionerId.ToString(), problem.GetProperty("errors").GetProperty("Authorization")[0].GetString());
    }

    [Fact]
    [Trait("Rule", "R-PLAN-1")]
    public async Task GivenCompletePlan_WhenBillingPractitionerSignsAndShares_ThenActiveEventsStagedAndPatientCopyServed()
    {
        var s = await SeedAsync();
        var (planId, etag) = await CreateAsync(factory.ClientAs("care-coordinator", s.NurseId), FullPlan(s.PatientId, s.NurseId));

        var sign = await factory.ClientAs("practitioner", s.PractitionerId).PostAsJsonAsync($"/api/careplans/plans/{planId}/sign", new { occurredAt = DateTime.UtcNow.AddMinutes(-5) });
        Assert.Equal(HttpStatusCode.OK, sign.StatusCode);
        Assert.NotEqual(etag, sign.Headers.ETag!.Tag);
        var plan = await sign.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Active", plan.GetProperty("status").GetString());

        var share = await factory.ClientAs("care-coordinator", s.NurseId).PostAsJsonAsync($"/api/careplans/plans/{planId}/share", new { method = "portal", occurredAt = DateTime.UtcNow.AddMinutes(-1) });
        Assert.Equal(HttpStatusCode.OK, share.StatusCode);

        var types = await factory.WithDb(db => db.OutboxMessages.Where(m => m.Payload.Contains(planId.ToString())).Select(m => m.MessageType).ToListAsync());
        Assert.Contains(typeof(CarePlanActivated).FullName, types);
        Assert.Contains(typeof(CarePlanShared).FullName, types);

        var copy = await factory.ClientAs("care-coordinator", s.NurseId).GetAsync($"/api/careplans/plans/{planId}/patient-copy");
        Assert.Equal("text/html", copy.Content.Headers.ContentType!.MediaType);
        var html = await copy.Content.ReadAsStringAsync();
        Assert.Contains("Pat &lt;Test&gt;", html);
        Assert.Contains("A1c under 8", html);
        Assert.Contains("Type 2 diabetes (E11.9)", html); // stored as E119; people read the dotted form
    }

    private static async Task AssertDateOrderProblem(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("PLAN_DATE_ORDER", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("occurredAt", out _));
    }

    [Fact]
    public async Task GivenDraftDrawnUpToday_WhenSignedWithOccurredAtIn2000_Then422PlanDateOrderAndStillDraft()
    {
        var s = await SeedAsync();
        var nextYear = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1).ToString("yyyy-MM-dd");
        var (planId, _) = await CreateAsync(factory.ClientAs("care-coordinator", s.NurseId), PlanDated(s.PatientId, s.NurseId, nextYear, nextYear, null));

        var sign = await factory.ClientAs("practitioner", s.PractitionerId).PostAsJsonAsync($"/api/careplans/plans/{planId}/sign", new { occurredAt = new DateTime(2000, 1, 1, 12, 0, 0, DateTimeKind.Utc) });

        await AssertDateOrderProblem(sign);
        Assert.Equal(PlanStatus.Draft, await factory.WithDb(db => db.Versions.Where(v => v.CarePlanId == planId).Select(v => v.Status).SingleAsync()));
        Assert.Equal(0, await factory.WithDb(db => db.OutboxMessages.CountAsync(m => m.MessageType == typeof(CarePlanActivated).FullName && m.Payload.Contains(planId.ToString()))));
    }

    [Fact]
    public async Task GivenDraftDrawnUpOnAPastDay_WhenSignedTheDayBefore_Then422_AndWhenSignedThatDay_ThenActive()
    {
        var s = await SeedAsync();
        var (planId, _) = await CreateAsync(factory.ClientAs("care-coordinator", s.NurseId), FullPlan(s.PatientId, s.NurseId));
        var practitioner = factory.ClientAs("practitioner", s.PractitionerId);

        await AssertDateOrderProblem(await practitioner.PostAsJsonAsync($"/api/careplans/plans/{planId}/sign", new { occurredAt = "2025-01-14T15:00:00Z" }));
        Assert.Equal(HttpStatusCode.OK, (await practitioner.PostAsJsonAsync($"/api/careplans/plans/{planId}/sign", new { occurredAt = "2025-01-15T09:00:00Z" })).StatusCode);
    }

    [Fact]
    public async Task GivenSignedVersion_WhenRevisionSignedBeforeThatSignature_Then422AndFirstVersionStaysActive()
    {
        var s = await SeedAsync();
        var nurse = factory.ClientAs("care-coordinator", s.NurseId);
        var practitioner = factory.ClientAs("practitioner", s.PractitionerId);
        var (planId, _) = await CreateAsync(nurse, FullPlan(s.PatientId, s.NurseId));
        var signed = await practitioner.PostAsJsonAsync($"/api/careplans/plans/{planId}/sign", new { occurredAt = "2025-02-01T12:00:00Z" });
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        var revision = PlanDated(s.PatientId, s.NurseId, "2025-10-01", "2025-07-01", "2025-01-20T12:00:00Z");
        Assert.Equal(HttpStatusCode.OK, (await nurse.SendAsync(Put(planId, revision, signed.Headers.ETag!.Tag))).StatusCode);

        await AssertDateOrderProblem(await practitioner.PostAsJsonAsync($"/api/careplans/plans/{planId}/sign", new { occurredAt = "2025-01-25T12:00:00Z" }));
        Assert.Equal(PlanStatus.Active, await factory.WithDb(db => db.Versions.Where(v => v.CarePlanId == planId && v.Number == 1).Select(v => v.Status).SingleAsync()));
        Assert.Equal(HttpStatusCode.OK, (await practitioner.PostAsJsonAsync($"/api/careplans/plans/{planId}/sign", new { occurredAt = "2025-02-02T12:00:00Z" })).StatusCode);
    }

    [Fact]
    public async Task GivenSignedPlan_WhenSharedBeforeTheSignature_Then422AndNoShare_AndWhenSharedAfter_ThenShared()
    {
        var s = await SeedAsync();
        var nurse = factory.ClientAs("care-coordinator", s.NurseId);
        var (planId, _) = await CreateAsync(nurse, FullPlan(s.PatientId, s.NurseId));
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientAs("practitioner", s.PractitionerId).PostAsJsonAsync($"/api/careplans/plans/{planId}/sign", new { occurredAt = "2025-02-01T12:00:00Z" })).StatusCode);

        await AssertDateOrderProblem(await nurse.PostAsJsonAsync($"/api/careplans/plans/{planId}/share", new { method = "portal", occurredAt = "2025-02-01T11:59:00Z" }));
        Assert.Equal(0, await factory.WithDb(db => db.Shares.CountAsync(x => x.CarePlanId == planId)));
        Assert.Equal(HttpStatusCode.OK, (await nurse.PostAsJsonAsync($"/api/careplans/plans/{planId}/share", new { method = "portal", occurredAt = "2025-02-01T12:00:00Z" })).StatusCode);
    }

    [Fact]
    public async Task GivenComplexityLevelAsNumber_WhenRecorded_Then400MalformedNamingLevelAndNothingStored()
    {
        var s = await SeedAsync();
        var response = await factory.ClientAs("practitioner", s.PractitionerId).PostAsync($"/api/careplans/patients/{s.PatientId}/complexity",
            new StringContent("""{"level":9,"occurredAt":"2025-03-01T12:00:00Z"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("MALFORMED_REQUEST", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("level", out _));
        Assert.Equal(0, await factory.WithDb(db => db.OutboxMessages.CountAsync(m => m.MessageType == typeof(ComplexityAssessed).FullName && m.Payload.Contains(s.PatientId.ToString()))));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("2014-12-31T23:59:00Z")]
    public async Task GivenAComplexityAssessmentDatedBeforeTheCcmCodes_WhenRecorded_Then422NamingOccurredAtAndNothingStored(string occurredAt)
    {
        // The billing practitioner of an imported patient is assigned from 2000-01-01, so the caller does bill the patient then.
        var s = await SeedAsync();
        await factory.WithDb(db =>
        {
            db.BillingAssignments.Add(new BillingAssignment { Id = Guid.NewGuid(), PatientId = s.PatientId, PracticeId = s.PracticeId, PractitionerId = s.PractitionerId, EffectiveFrom = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
            return db.SaveChangesAsync();
        });
        var practitioner = factory.ClientAs("practitioner", s.PractitionerId);

        var response = await practitioner.PostAsJsonAsync($"/api/careplans/patients/{s.PatientId}/complexity", new { level = "Moderate", occurredAt });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("DATE_OUT_OF_RANGE", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("occurredAt", out _), problem.ToString());
        Assert.Equal(0, await factory.WithDb(db => db.Complexity.CountAsync(c => c.PatientId == s.PatientId)));
        Assert.Equal(HttpStatusCode.Created, (await practitioner.PostAsJsonAsync($"/api/careplans/patients/{s.PatientId}/complexity", new { level = "Moderate", occurredAt = "2015-01-01T00:00:00Z" })).StatusCode);
    }

    [Fact]
    public async Task GivenPut_WhenIfMatchMissingOrStale_Then428Or412AndNothingChanged()
    {
        var s = await SeedAsync();
        var client = factory.ClientAs("care-coordinator", s.NurseId);
        var (planId, etag) = await CreateAsync(client, FullPlan(s.PatientId, s.NurseId));

        Assert.Equal((HttpStatusCode)428, (await client.SendAsync(Put(planId, FullPlan(s.PatientId, s.NurseId, "changed"), null))).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.SendAsync(Put(planId, FullPlan(s.PatientId, s.NurseId, "changed"), "\"999\""))).StatusCode);
        Assert.Equal(1, await factory.WithDb(db => db.Versions.CountAsync(v => v.CarePlanId == planId)));

        var ok = await client.SendAsync(Put(planId, FullPlan(s.PatientId, s.NurseId, "changed"), etag));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.SendAsync(Put(planId, FullPlan(s.PatientId, s.NurseId, "again"), etag))).StatusCode);
        Assert.Equal(2, await factory.WithDb(db => db.Versions.CountAsync(v => v.CarePlanId == planId)));
    }

    [Fact]
    public async Task GivenPutWithoutIfMatch_WhenSent_Then428ProblemSayingWhatIsRequired()
    {
        var s = await SeedAsync();
        var client = factory.ClientAs("care-coordinator", s.NurseId);
        var (planId, etag) = await CreateAsync(client, FullPlan(s.PatientId, s.NurseId));

        var response = await client.SendAsync(Put(planId, FullPlan(s.PatientId, s.NurseId, "changed"), null));

        Assert.Equal((HttpStatusCode)428, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("IF_MATCH_REQUIRED", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("If-Match", out _));
        Assert.Contains(etag, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task GivenBillingRole_WhenCreatingPlan_Then403ProblemNamingTheAllowedRoles()
    {
        var s = await SeedAsync();

        var response = await factory.ClientAs("billing").PostAsJsonAsync("/api/careplans/plans", FullPlan(s.PatientId, s.NurseId));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ROLE_NOT_ALLOWED", problem.GetProperty("rule").GetString());
        Assert.Contains("care-coordinator, practitioner, admin", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await factory.WithDb(db => db.Plans.CountAsync(p => p.PatientId == s.PatientId)));
    }

    [Fact]
    public async Task GivenNoToken_WhenReadingPlan_Then401ProblemAskingForBearerToken()
    {
        var response = await factory.CreateClient().GetAsync($"/api/careplans/plans/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("AUTHENTICATION_REQUIRED", problem.GetProperty("rule").GetString());
        Assert.Contains("bearer token", problem.GetProperty("detail").GetString());
    }

    private static object PlanDated(Guid patientId, Guid responsible, string targetDate, string reviewDate, string? occurredAt) => new
    {
        patientId,
        problems = new[] { new { icd10 = "E11.9", description = "Type 2 diabetes" } },
        expectedOutcome = "A1c under 8",
        prognosis = "Good with adherence",
        goals = new[] { new { description = "A1c", target = "< 8%", targetDate } },
        symptomManagement = "Hypoglycaemia plan",
        interventions = new[] { new { description = "Monthly call", responsibleRosterId = responsible } },
        medicationManagement = "Metformin 500 mg bid",
        communityResources = "Diabetes class at YMCA",
        coordination = "Endocrinology referral",
        reviewDate,
        occurredAt,
    };

    [Fact]
    public async Task GivenGoalTargetDateBeforeToday_WhenDraftCreated_Then422NamingTheGoalAndNothingStored()
    {
        var s = await SeedAsync();
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2).ToString("yyyy-MM-dd");
        var nextYear = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1).ToString("yyyy-MM-dd");

        var response = await factory.ClientAs("care-coordinator", s.NurseId).PostAsJsonAsync("/api/careplans/plans", PlanDated(s.PatientId, s.NurseId, yesterday, nextYear, null));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("PLAN_DATE_IN_PAST", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("goals[0].targetDate", out _));
        Assert.False(problem.GetProperty("errors").TryGetProperty("reviewDate", out _));
        Assert.Equal(0, await factory.WithDb(db => db.Plans.CountAsync(p => p.PatientId == s.PatientId)));
    }

    [Fact]
    public async Task GivenReviewDateBeforeTheDayTheRevisionIsDrawnUp_WhenUpdated_Then422AndNoNewVersion()
    {
        var s = await SeedAsync();
        var client = factory.ClientAs("care-coordinator", s.NurseId);
        var (planId, etag) = await CreateAsync(client, PlanDated(s.PatientId, s.NurseId, "2025-09-01", "2025-06-01", "2025-01-15T15:00:00Z"));

        var response = await client.SendAsync(Put(planId, PlanDated(s.PatientId, s.NurseId, "2025-12-01", "2025-06-01", "2025-07-01T15:00:00Z"), etag));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("PLAN_DATE_IN_PAST", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("reviewDate", out _));
        Assert.Equal(1, await factory.WithDb(db => db.Versions.CountAsync(v => v.CarePlanId == planId)));
    }

    [Theory]
    [InlineData("goal")]
    [InlineData("review")]
    [InlineData("year9999")]
    public async Task GivenAGoalOrReviewDateMoreThanFiveYearsAhead_WhenDraftCreated_Then422DateOutOfRangeNamingItAndNothingStored(string which)
    {
        var s = await SeedAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var edge = today.AddYears(5).ToString("yyyy-MM-dd");
        var past = which == "year9999" ? "9999-12-31" : today.AddYears(5).AddDays(1).ToString("yyyy-MM-dd");
        var (target, review, field) = which == "review" ? (edge, past, "reviewDate") : (past, edge, "goals[0].targetDate");

        var response = await factory.ClientAs("care-coordinator", s.NurseId).PostAsJsonAsync("/api/careplans/plans", PlanDated(s.PatientId, s.NurseId, target, review, null));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("DATE_OUT_OF_RANGE", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Single(problem.GetProperty("errors").EnumerateObject());
        Assert.Equal(0, await factory.WithDb(db => db.Plans.CountAsync(p => p.PatientId == s.PatientId)));
    }

    [Fact]
    public async Task GivenARevisionWithAGoalInYear9999_WhenUpdated_Then422DateOutOfRangeAndNoNewVersion()
    {
        var s = await SeedAsync();
        var client = factory.ClientAs("care-coordinator", s.NurseId);
        var (planId, etag) = await CreateAsync(client, FullPlan(s.PatientId, s.NurseId));

        var response = await client.SendAsync(Put(planId, PlanDated(s.PatientId, s.NurseId, "9999-01-01", "2025-06-01", "2025-01-15T15:00:00Z"), etag));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("DATE_OUT_OF_RANGE", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("goals[0].targetDate", out _));
        Assert.Equal(1, await factory.WithDb(db => db.Versions.CountAsync(v => v.CarePlanId == planId)));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("2014-12-31T23:59:00Z")]
    public async Task GivenAPlanDrawnUpBeforeTheCcmCodes_WhenDraftCreated_Then422NamingOccurredAtAndNothingStored(string occurredAt)
    {
        var s = await SeedAsync();

        var response = await factory.ClientAs("care-coordinator", s.NurseId).PostAsJsonAsync("/api/careplans/plans", PlanDated(s.PatientId, s.NurseId, "2015-06-01", "2015-03-01", occurredAt));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("DATE_OUT_OF_RANGE", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("occurredAt", out _));
        Assert.Equal(0, await factory.WithDb(db => db.Plans.CountAsync(p => p.PatientId == s.PatientId)));
    }

    [Fact]
    public async Task GivenAPlanDrawnUpOnTheFirstCcmDayWithGoalsExactlyFiveYearsAhead_WhenDraftCreated_Then201()
    {
        var s = await SeedAsync();
        var edge = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(5).ToString("yyyy-MM-dd");

        var (planId, _) = await CreateAsync(factory.ClientAs("care-coordinator", s.NurseId), PlanDated(s.PatientId, s.NurseId, edge, edge, "2015-01-01T00:00:00Z"));

        Assert.Equal(1, await factory.WithDb(db => db.Versions.CountAsync(v => v.CarePlanId == planId)));
    }

    [Fact]
    public async Task GivenPlanDrawnUpInTheFuture_WhenCreated_Then422OccurredAt()
    {
        var s = await SeedAsync();
        var response = await factory.ClientAs("care-coordinator", s.NurseId).PostAsJsonAsync("/api/careplans/plans",
            PlanDated(s.PatientId, s.NurseId, "2099-01-01", "2099-01-01", DateTime.UtcNow.AddDays(2).ToString("O")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("R-FACT-1", problem.GetProperty("rule").GetString());
        Assert.Equal(0, await factory.WithDb(db => db.Plans.CountAsync(p => p.PatientId == s.PatientId)));
    }

    [Fact]
    public async Task GivenANewYorkPractice_WhenDrawnUpLateEveningLocal_ThenTheLocalDayCountsNotTheUtcDay()
    {
        var s = await SeedAsync();
        await factory.WithDb(db =>
        {
            db.Practices.Add(new PracticeView { Id = s.PracticeId, TimeZone = "America/New_York" });
            return db.SaveChangesAsync();
        });

        // 03:00Z on 1 March is 22:00 on 28 February in New York.
        var response = await factory.ClientAs("care-coordinator", s.NurseId).PostAsJsonAsync("/api/careplans/plans",
            PlanDated(s.PatientId, s.NurseId, "2025-02-28", "2025-02-28", "2025-03-01T03:00:00Z"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task GivenTwoConcurrentPutsWithSameETag_WhenSent_ThenExactlyOneWins()
    {
        var s = await SeedAsync();
        var client = factory.ClientAs("care-coordinator", s.NurseId);
        var (planId, etag) = await CreateAsync(client, FullPlan(s.PatientId, s.NurseId));

        var results = await Task.WhenAll(
            client.SendAsync(Put(planId, FullPlan(s.PatientId, s.NurseId, "first"), etag)),
            client.SendAsync(Put(planId, FullPlan(s.PatientId, s.NurseId, "second"), etag)));

        Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed));
        Assert.Equal(2, await factory.WithDb(db => db.Versions.CountAsync(v => v.CarePlanId == planId)));
    }

    [Fact]
    [Trait("Rule", "R-PLAN-1")]
    public async Task GivenProblemsOmitted_WhenCreated_ThenQualifyingConditionsFillTheList()
    {
        var s = await SeedAsync("""[{"icd10":"I10","description":"Essential hypertension"},{"icd10":"E119","description":"Type 2 diabetes"}]""");
        var response = await factory.ClientAs("care-coordinator", s.NurseId).PostAsJsonAsync("/api/careplans/plans", new { patientId = s.PatientId, expectedOutcome = "x" });
        var plan = await response.Content.ReadFromJsonAsync<JsonElement>();
        var codes = plan.GetProperty("latestVersion").GetProperty("content").GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("icd10").GetString()!).ToArray();
        Assert.Equal(["I10", "E119"], codes);
    }

    [Fact]
    [Trait("Rule", "R-PLAN-1")]
    public async Task GivenConditionsChangedWithAnActiveNotChronicFinding_WhenPlanCreatedWithoutProblems_ThenOnlyTheChronicConditionIsListed()
    {
        var s = await SeedAsync();
        // Patients publishes the map's "not-chronic" text for acute findings Synthea leaves active (a 1985 cardiac arrest).
        await factory.Services.GetRequiredService<IBus>().Publish(new ConditionsChanged(s.PracticeId, s.PatientId,
        [
            new ConditionFact(Guid.NewGuid(), "44054006", "Diabetes", "E119", "ccw:21", true, new DateOnly(2010, 1, 1), null),
            new ConditionFact(Guid.NewGuid(), "410429000", "Cardiac Arrest", "I469", "not-chronic", true, new DateOnly(1985, 12, 21), null),
        ], DateTime.UtcNow));
        await TestInfrastructure.Eventually(
            () => factory.WithDb(db => db.Patients.AsNoTracking().SingleAsync(p => p.Id == s.PatientId)),
            p => p.ConditionsJson != "[]", TestInfrastructure.Convergence, "conditions consumed");

        var response = await factory.ClientAs("care-coordinator", s.NurseId).PostAsJsonAsync("/api/careplans/plans", new { patientId = s.PatientId, expectedOutcome = "x" });

        var plan = await response.Content.ReadFromJsonAsync<JsonElement>();
        var codes = plan.GetProperty("latestVersion").GetProperty("content").GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("icd10").GetString()!).ToArray();
        Assert.Equal(["E119"], codes);
    }

    [Fact]
    public async Task GivenANullGoal_WhenPlanRevised_Then400NamingTheGoalAndNoNewVersion()
    {
        var s = await SeedAsync();
        var client = factory.ClientAs("care-coordinator", s.NurseId);
        var (planId, etag) = await CreateAsync(client, FullPlan(s.PatientId, s.NurseId));
        var body = new
        {
            patientId = s.PatientId,
            expectedOutcome = "A1c under 7.5",
            goals = new object?[] { new { description = "A1c", target = "< 7.5%", targetDate = "2025-09-01" }, null },
            occurredAt = "2025-01-15T15:00:00Z",
        };

        var response = await client.SendAsync(Put(planId, body, etag));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("MALFORMED_REQUEST", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("goals[1]", out _), problem.ToString());
        Assert.Equal(1, await factory.WithDb(db => db.Versions.CountAsync(v => v.CarePlanId == planId)));
    }

    [Fact]
    public async Task GivenAnotherPatientsId_WhenPlanRevised_Then422NamingPatientIdAndNoNewVersion()
    {
        var s = await SeedAsync();
        var client = factory.ClientAs("care-coordinator", s.NurseId);
        var (planId, etag) = await CreateAsync(client, FullPlan(s.PatientId, s.NurseId));

        var response = await client.SendAsync(Put(planId, FullPlan(Guid.NewGuid(), s.NurseId, "someone else's outcome"), etag));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("PLAN_PATIENT_MISMATCH", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("patientId", out _), problem.ToString());
        Assert.Equal(1, await factory.WithDb(db => db.Versions.CountAsync(v => v.CarePlanId == planId)));
    }

    [Fact]
    public async Task GivenUnknownIcd10InProblems_WhenCreated_Then422()
    {
        var s = await SeedAsync();
        var response = await factory.ClientAs("care-coordinator", s.NurseId).PostAsJsonAsync("/api/careplans/plans", new { patientId = s.PatientId, problems = new[] { new { icd10 = "A00.99", description = "?" } } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(0, await factory.WithDb(db => db.Plans.CountAsync(p => p.PatientId == s.PatientId)));
    }

    [Fact]
    [Trait("Rule", "R-PLAN-2")]
    public async Task GivenComplexityAndRevision_WhenRecordedByNonBillingPractitioner_Then403_AndByBillingPractitioner_ThenEventsStaged()
    {
        var s = await SeedAsync();
        var nurse = factory.ClientAs("care-coordinator", s.NurseId);
        var (planId, _) = await CreateAsync(nurse, FullPlan(s.PatientId, s.NurseId));
        var billing = factory.ClientAs("practitioner", s.PractitionerId);
        var now = DateTime.UtcNow.AddMinutes(-1);

        Assert.Equal(HttpStatusCode.Forbidden, (await factory.ClientAs("practitioner", s.OtherPractitionerId).PostAsJsonAsync($"/api/careplans/patients/{s.PatientId}/complexity", new { level = "Moderate", occurredAt = now })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await billing.PostAsJsonAsync($"/api/careplans/patients/{s.PatientId}/complexity", new { level = "Moderate", occurredAt = now })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await billing.PostAsJsonAsync($"/api/careplans/plans/{planId}/sign", new { occurredAt = now })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await billing.PostAsJsonAsync($"/api/careplans/plans/{planId}/substantial-revision", new { summary = "no date" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await billing.PostAsJsonAsync($"/api/careplans/plans/{planId}/substantial-revision", new { occurredAt = now, summary = "new insulin" })).StatusCode);

        var types = await factory.WithDb(db => db.OutboxMessages.Where(m => m.Payload.Contains(s.PatientId.ToString())).Select(m => m.MessageType).ToListAsync());
        Assert.Contains(typeof(ComplexityAssessed).FullName, types);
        Assert.Contains(typeof(CarePlanRevised).FullName, types);
    }

    [Fact]
    public async Task GivenMoreThanOneHundredGoals_WhenDraftCreated_Then400TooManyItemsAndNothingStored()
    {
        var s = await SeedAsync();
        var body = new
        {
            patientId = s.PatientId,
            goals = Enumerable.Range(0, 101).Select(i => new { description = $"Goal {i}", target = "< 8%", targetDate = "2099-01-01" }).ToArray(),
        };

        var response = await factory.ClientAs("care-coordinator", s.NurseId).PostAsJsonAsync("/api/careplans/plans", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("TOO_MANY_ITEMS", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("goals", out _));
        Assert.Equal(0, await factory.WithDb(db => db.Plans.CountAsync(p => p.PatientId == s.PatientId)));
    }

    [Fact]
    public async Task GivenAnInterventionDescriptionOverTwoThousandCharacters_WhenDraftCreated_Then400NamingIt()
    {
        var s = await SeedAsync();
        var body = new
        {
            patientId = s.PatientId,
            interventions = new[] { new { description = "Monthly call", responsibleRosterId = s.NurseId }, new { description = new string('x', 2001), responsibleRosterId = s.NurseId } },
        };

        var response = await factory.ClientAs("care-coordinator", s.NurseId).PostAsJsonAsync("/api/careplans/plans", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("FIELD_TOO_LONG", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("interventions[1].description", out _));
        Assert.Equal(0, await factory.WithDb(db => db.Plans.CountAsync(p => p.PatientId == s.PatientId)));
    }
}
