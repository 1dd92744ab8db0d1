/** Inline SVG icons: crisp at any size and independent of the fonts a machine has. */
/** Props every icon's <svg> shares (debug/icons.tsx uses them too). */
export const iconProps = {
  width: '1em',
  height: '1em',
  viewBox: '0 0 24 24',
  'aria-hidden': true,
  focusable: false,
} as const;

export const PlayIcon = () => (
  <svg {...iconProps}>
    <path d="M7 4.5v15l12.5-7.5z" fill="currentColor" />
  </svg>
);

export const PauseIcon = () => (
  <svg {...iconProps}>
    <rect x="6" y="4.5" width="4.2" height="15" rx="1" fill="currentColor" />
    <rect x="13.8" y="4.5" width="4.2" height="15" rx="1" fill="currentColor" />
  </svg>
);

export const StepIcon = () => (
  <svg {...iconProps}>
    <path d="M5 5v14l10-7z" fill="currentColor" />
    <rect x="16" y="5" width="3.2" height="14" rx="1" fill="currentColor" />
  </svg>
);

export const ReplayIcon = () => (
  <svg {...iconProps}>
    <path
      d="M4.5 12a7.5 7.5 0 1 0 2.3-5.4"
      fill="none"
      stroke="currentColor"
      strokeWidth="2.4"
      strokeLinecap="round"
    />
    <path d="M3.5 3.5v5.5h5.5z" fill="currentColor" />
  </svg>
);

export const StarIcon = () => (
  <svg {...iconProps}>
    <path
      d="M12 2.8l2.8 6 6.5.7-4.9 4.4 1.4 6.4L12 17l-5.8 3.3 1.4-6.4-4.9-4.4 6.5-.7z"
      fill="currentColor"
    />
  </svg>
);
