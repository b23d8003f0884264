/**
 * The stages of the main trial in order, for the screens (db/schema.ts has the same list, but the
 * browser bundle must not import the database schema). A Record, so a stage added on the server
 * is a type error here until it is placed.
 */
import type { TrialStage } from '../types.ts';

const POSITION: Record<TrialStage, number> = {
  preparatory: 1,
  investigation: 2,
  pleadings: 3,
  last_word: 4,
  deliberation: 5,
  announcement: 6,
};

export const TRIAL_STAGES = (Object.keys(POSITION) as TrialStage[]).sort((a, b) => POSITION[a] - POSITION[b]);
