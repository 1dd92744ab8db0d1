/**
 * The app's bespoke parts per algorithm: React components that draw something one
 * algorithm has and no generic panel can (the lease election's payment board). Everything
 * else the app shows about an algorithm comes from its definition; this map is the one
 * place in the app that names algorithms, and an algorithm without bespoke parts needs no
 * entry.
 */
import type { ComponentType } from 'react';
import type { NodeVM } from '../store/view';
import { PaymentBoard } from './lease/PaymentBoard';

export interface AlgorithmViews {
  /** Drawn on the stage beside the network view. */
  Stage?: ComponentType;
  /** Extra inspector facts for the selected node, richer than the definition's text facts. */
  NodeFacts?: ComponentType<{ node: NodeVM }>;
}

export const algorithmViews: Readonly<Record<string, AlgorithmViews>> = {
  lease: { Stage: PaymentBoard },
};
