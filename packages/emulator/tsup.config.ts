import { defineConfig } from 'tsup';
import { libraryBuilds } from '../../tsup.shared.ts';

// The library entry as every package has it, plus the `callgate-emulator` CLI.
export default defineConfig(
  libraryBuilds({ entry: ['src/index.ts', 'src/cli.ts'], dts: { entry: 'src/index.ts' } }),
);
