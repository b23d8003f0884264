/**
 * Keeps a <video> or <audio> element playing its live stream. `autoplay` alone is not enough:
 * Chromium pauses a muted autoplaying video it considers hidden or off screen and does not always
 * start it again, a new `srcObject` may be left paused, and sound may be refused until the person
 * touches the page. A live stream has nothing to pause for, so any pause is undone at once; sound
 * refused by the browser is reported (`onBlocked`) and tried again on the next touch or key.
 * `onPicture` says whether frames are on screen (a video whose width is known and is playing).
 * Returns the clean-up for a Svelte effect.
 */
export function keepPlaying(element: HTMLMediaElement, callbacks: { onPicture?: (on: boolean) => void; onBlocked?: (blocked: boolean) => void } = {}): () => void {
  let stopped = false;
  const play = (): void => {
    if (stopped || !element.srcObject) return;
    element.play().then(
      () => callbacks.onBlocked?.(false),
      (error: unknown) => {
        if ((error as DOMException)?.name === 'NotAllowedError') callbacks.onBlocked?.(true);
      },
    );
  };
  const picture = (): void => {
    if (element instanceof HTMLVideoElement) callbacks.onPicture?.(element.videoWidth > 0 && !element.paused);
  };
  const onPause = (): void => {
    picture();
    // Paused by the browser, not by anyone here: a live stream goes on.
    queueMicrotask(play);
  };
  const onTouch = (): void => {
    if (element.paused) play();
  };
  const listening = new AbortController();
  const { signal } = listening;
  element.addEventListener('pause', onPause, { signal });
  for (const event of ['playing', 'resize', 'loadeddata']) element.addEventListener(event, picture, { signal });
  document.addEventListener('pointerdown', onTouch, { signal });
  document.addEventListener('keydown', onTouch, { signal });
  play();
  return () => {
    stopped = true;
    listening.abort();
  };
}
