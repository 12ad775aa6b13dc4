// Where screenshots and reports go: xtask passes target/e2e-artifacts, which .gitignore covers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const artifactsDir = process.env.E2E_ARTIFACTS_DIR ?? path.resolve(here, '../../target/e2e-artifacts');
