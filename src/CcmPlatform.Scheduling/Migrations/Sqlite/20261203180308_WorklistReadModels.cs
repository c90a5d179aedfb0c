using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CcmPlatform.Scheduling.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WorklistReadModels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Enrollments",
                columns: table => new
                {
                    PatientId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Program = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PracticeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EnrolledAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DisenrolledAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Enrollments", x => new { x.PatientId, x.Program });
                });

            migrationBuilder.CreateTable(
                name: "MedicationAlerts",
                columns: table => new
                {
                    AlertId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PatientId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PracticeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RuleId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    RaisedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ClosedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MedicationAlerts", x => x.AlertId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Enrollments_PracticeId",
                table: "Enrollments",
                column: "PracticeId");

            migrationBuilder.CreateIndex(
                name: "IX_MedicationAlerts_PracticeId_PatientId",
                table: "MedicationAlerts",
                columns: new[] { "PracticeId", "PatientId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Enrollments");

            migrationBuilder.DropTable(
                name: "MedicationAlerts");
        }
    }
}
