using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CcmPlatform.CarePlans.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class VersionDrawnUpAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "DrawnUpAt",
                table: "Versions",
                type: "datetime2",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DrawnUpAt",
                table: "Versions");
        }
    }
}
