using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CcmPlatform.Scheduling.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LedgerReasons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ReasonsJson",
                table: "Ledgers",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReasonsJson",
                table: "Ledgers");
        }
    }
}
