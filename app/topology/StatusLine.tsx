/**
 * The lines a room reads first: who leads, in which term, who wrongly thinks it does,
 * and how the network is split.
 */
import { usePlayground } from '../store/store';
import { partitionGroups } from '../store/view';
import { Term } from '../panels/Glossary';

export function StatusLine() {
  const view = usePlayground((s) => s.view);
  const algorithm = usePlayground((s) => s.scenario.algorithm);
  const { leader, leaderTerm: term, staleLeaders: stale, quorum } = view;
  const candidates = view.nodes.filter((n) => n.alive && n.role === 'candidate').length;
  const word = algorithm === 'bully' || algorithm === 'ring' ? 'Coordinator' : 'Leader';
  const groups = partitionGroups(view);
  const cutOff = (id: number) => {
    if (!view.groups) return false;
    const g = view.groups[id];
    return view.nodes.filter((n) => view.groups![n.id] === g).length < quorum;
  };
  let text: string;
  let tone = '';
  if (leader !== null) {
    text = `${word}: node ${leader}${term !== undefined ? `, term ${term}` : ''}`;
    tone = ' has-leader';
  } else if (candidates > 0) {
    text = `No ${word.toLowerCase()} · election in progress`;
    tone = ' electing';
  } else text = `No ${word.toLowerCase()}`;
  const leaderCutOff = leader !== null && cutOff(leader);

  return (
    <div className="status-line">
      <span className={`status-main${tone}`} data-testid="status-leader" role="status">
        {leader !== null && <span aria-hidden="true">★ </span>}
        {text}
      </span>
      {leaderCutOff && (
        <span className="status-note warn" data-testid="status-cutoff">
          node {leader} is cut off from the majority
        </span>
      )}
      {stale.length > 0 && (
        <span className="status-note warn" data-testid="status-stale">
          {stale
            .map(
              (s) =>
                `node ${s.id} still believes it leads${s.term !== undefined ? ` (term ${s.term})` : ''}`,
            )
            .join('; ')}{' '}
          <Term k="term">why?</Term>
        </span>
      )}
      {groups && (
        <span className="status-note" data-testid="status-partition">
          <Term k="partition">Partition</Term>{' '}
          {groups.map((g, i) => (
            <span key={g.join(',')} className={`zone-chip zone-${i % 4}`}>
              <b>{String.fromCharCode(65 + i)}</b> {`{${g.join(', ')}}`}{' '}
              {g.length >= quorum ? 'majority' : 'no majority'}
            </span>
          ))}
        </span>
      )}
    </div>
  );
}
