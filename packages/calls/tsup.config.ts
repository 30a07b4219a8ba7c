import { defineConfig } from 'tsup';
import { libraryBuilds } from '../../tsup.shared.ts';

export default defineConfig(libraryBuilds());
