// Compiles src/application.scss and copies GOV.UK Frontend's script and assets into the Django static folder.
// Run through ../scripts/build-frontend.sh; the output is committed.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const govuk = join(here, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(here, "..", "opencomplaints", "static");

const css = sass.compile(join(here, "src", "application.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
});
mkdirSync(join(out, "opencomplaints"), { recursive: true });
writeFileSync(join(out, "opencomplaints", "application.css"), css.css + "\n");

const target = join(out, "govuk-frontend");
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
cpSync(join(govuk, "govuk-frontend.min.js"), join(target, "govuk-frontend.min.js"));
// Only the images: the GDS Transport fonts are not for council services.
cpSync(join(govuk, "assets", "images"), join(target, "assets", "images"), { recursive: true });
cpSync(join(govuk, "assets", "manifest.json"), join(target, "assets", "manifest.json"));
console.log("Built opencomplaints/static/opencomplaints/application.css and copied GOV.UK Frontend assets.");
