"use client";

// Shown when a page of the project fails to load; the message is generic by design.
export default function ProjectError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="empty" role="alert">
      <p>This page could not be loaded. Nothing was changed.</p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
