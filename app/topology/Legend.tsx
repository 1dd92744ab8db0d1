/** What the colours, glyphs and marks mean, in the running algorithm's words: readable without colour too. */
import { messageTones, roleLook } from './palette';
import { useDefinition } from '../store/store';
import type { NodeVM } from '../store/view';

export function Legend() {
  const def = useDefinition();
  // how each of the algorithm's roles looks, through the same function that draws the nodes
  const looks = def.roles.map((r) => {
    const { role, state } = typeof r === 'string' ? { role: r, state: r } : r;
    return roleLook({ role, alive: true, state } as unknown as NodeVM, def);
  });
  return (
    <details className="legend" open={window.innerHeight >= 900}>
      <summary>Legend</summary>
      <div className="legend-cols">
        <ul>
          {looks.map((l) => (
            <li key={l.text}>
              <span className={`sw role-${l.key}`}>{l.glyph}</span> {l.text.toLowerCase()}
            </li>
          ))}
          <li>
            <span className="sw role-dead">✕</span> dead
          </li>
          <li>
            <span className="sw role-follower">❚❚</span> paused
          </li>
          <li>
            <span className="sw ring-demo" /> timer counting down
          </li>
        </ul>
        <ul>
          {messageTones(def).map((t) => (
            <li key={t.tone}>
              <span className={`dot-demo tone-${t.tone}`} /> {t.text}
            </li>
          ))}
          <li>
            <span className="mark-demo">✕</span> link cut · <span className="mark-demo">▶</span>{' '}
            one-way
          </li>
        </ul>
      </div>
    </details>
  );
}
