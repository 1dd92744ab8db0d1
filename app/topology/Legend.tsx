/** What the colours, glyphs and marks mean: readable without colour too. */
import { MESSAGE_TONES } from './palette';
import { usePlayground } from '../store/store';

export function Legend() {
  const algorithm = usePlayground((s) => s.scenario.algorithm);
  const classic = algorithm === 'bully' || algorithm === 'ring';
  return (
    <details className="legend" open={window.innerHeight >= 900}>
      <summary>Legend</summary>
      <ul>
        <li>
          <span className="sw role-leader">★</span> {classic ? 'coordinator' : 'leader'}
        </li>
        {!classic && (
          <li>
            <span className="sw role-candidate">⚑</span> candidate
          </li>
        )}
        {classic && (
          <li>
            <span className="sw role-waiting">◷</span> waiting
          </li>
        )}
        <li>
          <span className="sw role-follower" /> follower
        </li>
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
        {MESSAGE_TONES.map((t) => (
          <li key={t.tone}>
            <span className={`dot-demo tone-${t.tone}`} /> {t.text}
          </li>
        ))}
        <li>
          <span className="mark-demo">✕</span> link cut · <span className="mark-demo">▶</span>{' '}
          one-way
        </li>
      </ul>
    </details>
  );
}
