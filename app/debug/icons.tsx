/** The debugger's inline SVG icons (same conventions as panels/Icons.tsx). */
import { iconProps as common } from '../panels/Icons';

export const StepBackIcon = () => (
  <svg {...common}>
    <path d="M19 5v14L9 12z" fill="currentColor" />
    <rect x="4.8" y="5" width="3.2" height="14" rx="1" fill="currentColor" />
  </svg>
);

export const StartIcon = () => (
  <svg {...common}>
    <rect x="3.5" y="5" width="3" height="14" rx="1" fill="currentColor" />
    <path d="M13.5 5v14L6.8 12zM21 5v14l-6.7-7z" fill="currentColor" />
  </svg>
);

export const EndIcon = () => (
  <svg {...common}>
    <rect x="17.5" y="5" width="3" height="14" rx="1" fill="currentColor" />
    <path d="M10.5 5v14l6.7-7zM3 5v14l6.7-7z" fill="currentColor" />
  </svg>
);

export const WarnIcon = () => (
  <svg {...common}>
    <path d="M12 3 1.8 20.5h20.4z" fill="currentColor" />
    <rect x="10.8" y="9" width="2.4" height="6.5" rx="1" fill="var(--panel)" />
    <circle cx="12" cy="17.8" r="1.3" fill="var(--panel)" />
  </svg>
);

export const HandIcon = () => (
  <svg {...common}>
    <path
      d="M8 12V5.5a1.5 1.5 0 0 1 3 0V11m0-1.5V4a1.5 1.5 0 0 1 3 0v6m0-4.5a1.5 1.5 0 0 1 3 0V12m0-3.5a1.5 1.5 0 0 1 3 0v6.5c0 4-3 7-7 7h-1c-2.6 0-4.2-1.2-5.6-3.1L3.2 14.8a1.6 1.6 0 0 1 2.5-2L8 15"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
    />
  </svg>
);

export const ChevronIcon = ({ up }: { up: boolean }) => (
  <svg {...common}>
    <path
      d={up ? 'M5 15l7-7 7 7' : 'M5 9l7 7 7-7'}
      fill="none"
      stroke="currentColor"
      strokeWidth="2.6"
      strokeLinecap="round"
      strokeLinejoin="round"
    />
  </svg>
);

/** A floppy disk: "kept on disk, survives a crash". */
export const DiskIcon = () => (
  <svg {...common} className="disk-icon">
    <path
      d="M4 3.5h12.5L20.5 7.5V20a.5.5 0 0 1-.5.5H4a.5.5 0 0 1-.5-.5V4a.5.5 0 0 1 .5-.5z"
      fill="currentColor"
    />
    <rect x="7" y="4.5" width="8.5" height="5" rx="0.6" fill="var(--panel)" />
    <rect x="12.4" y="5.4" width="1.8" height="3.2" fill="currentColor" />
    <rect x="6.5" y="13" width="11" height="6" rx="0.8" fill="var(--panel)" />
  </svg>
);
