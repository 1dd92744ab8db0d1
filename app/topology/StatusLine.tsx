/**
 * The lines a room reads first: who leads, in which term, who wrongly thinks it does,
 * and how the network is split.
 */
import { termWords } from '../../algorithms/index';
import { useDefinition, usePlayground } from '../store/store';
import { holdsMajority, partitionGroups, type SimView } from '../store/view';
import { Term } from '../panels/Glossary';

interface Status {
  leader: number | null;
  term?: number;
  stale: SimView['staleLeaders'];
  candidates: number;
  groups: { ids: number[]; majority: boolean }[] | null;
  /** Whose majority the leader is cut off from, when it is not every node's. */
  who: string | null;
  leaderCutOff: boolean;
}

/** Everything the status shows, as one string: the component re-renders only when it changes. */
function statusKey(view: SimView): string {
  const groups = partitionGroups(view);
  const { leader } = view;
  const cutOff =
    leader !== null &&
    view.groups !== null &&
    !holdsMajority(
      view,
      view.nodes.filter((n) => view.groups![n.id] === view.groups![leader]).map((n) => n.id),
    );
  const st: Status = {
    leader,
    term: view.leaderTerm,
    stale: view.staleLeaders,
    candidates: view.nodes.filter(
      (n) => n.alive && (n.role === 'candidate' || n.role === 'waiting'),
    ).length,
    groups: groups && groups.map((ids) => ({ ids, majority: holdsMajority(view, ids) })),
    leaderCutOff: cutOff,
    who:
      view.quorumWho === 'nodes'
        ? null
        : view.quorumMembers.length === 1
          ? `the ${view.quorumWho}`
          : `a majority of the ${view.quorumWho}`,
  };
  return JSON.stringify(st);
}

export function StatusLine() {
  const key = usePlayground((s) => statusKey(s.view));
  const def = useDefinition();
  const warnings = usePlayground((s) => s.warnings);
  const { leader, term, stale, candidates, groups, leaderCutOff, who } = JSON.parse(key) as Status;
  const word = def.vocabulary.leader.charAt(0).toUpperCase() + def.vocabulary.leader.slice(1);
  let text: string;
  let tone = '';
  if (leader !== null) {
    text = `${word}: node ${leader}${term !== undefined ? `, ${termWords(def, term)}` : ''}`;
    tone = ' has-leader';
  } else if (candidates > 0) {
    text = `No ${word.toLowerCase()} · election in progress`;
    tone = ' electing';
  } else text = `No ${word.toLowerCase()}`;

  return (
    <div className="status-line">
      <span className={`status-main${tone}`} data-testid="status-leader" role="status">
        {leader !== null && <span aria-hidden="true">★ </span>}
        {text}
      </span>
      {warnings.length > 0 && (
        <span className="status-note warn" data-testid="status-timing" title={warnings.join('\n')}>
          timeouts do not suit this network (see Network)
        </span>
      )}
      {leaderCutOff && (
        <span className="status-note warn" data-testid="status-cutoff">
          node {leader} is cut off from {who ?? 'the majority'}
        </span>
      )}
      {stale.length > 0 && (
        <span className="status-note warn" data-testid="status-stale">
          {stale
            .map(
              (s) =>
                `node ${s.id} still believes it leads${s.term !== undefined ? ` (${termWords(def, s.term)})` : ''}`,
            )
            .join('; ')}{' '}
          <Term k="term">why?</Term>
        </span>
      )}
      {groups && (
        <span className="status-note" data-testid="status-partition">
          <Term k="partition">Partition</Term>{' '}
          {groups.map((g, i) => (
            <span key={g.ids.join(',')} className={`zone-chip zone-${i % 4}`}>
              <b>{String.fromCharCode(65 + i)}</b> {`{${g.ids.join(', ')}}`}{' '}
              {g.majority ? 'majority' : 'no majority'}
            </span>
          ))}
        </span>
      )}
    </div>
  );
}
