/** In embed mode: a way out to the full playground, on the same run. */
import { useModes } from '../presenter/mode';
import { currentLink } from './link';

export function EmbedOpen() {
  const embed = useModes((s) => s.embed);
  if (!embed) return null;
  return (
    <a
      className="embed-open"
      href="./"
      target="_blank"
      rel="noopener"
      data-testid="embed-open"
      onClick={(e) => {
        e.currentTarget.href = currentLink({ embed: false });
      }}
      title="Open this run in the full Election Playground"
    >
      Open in Election Playground ↗
    </a>
  );
}
