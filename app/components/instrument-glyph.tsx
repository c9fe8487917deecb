/** A neutral drawing of an instrument, shown where a listing has no photo yet. */
export function InstrumentGlyph() {
  return (
    <svg viewBox="0 0 48 48" width="44" height="44" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round">
      <path d="M20 6h8v6h-8z" />
      <path d="M22 12v12a2 2 0 0 0 4 0V12" />
      <path d="M30 20a10 10 0 0 1-4 18" />
      <path d="M12 42h24" />
      <path d="M18 36h12" />
      <path d="M24 30v6" />
    </svg>
  );
}
