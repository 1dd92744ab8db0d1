/** A named scenario that tells a small fault story (`npm run sim -- run <name>`). */
import type { ScenarioInput } from '../scenario/schema';

export interface Preset {
  name: string;
  title: string;
  description: string;
  scenario: ScenarioInput;
}
