/** 24×24 single-path icons (aria-hidden: every button that shows one has a text label). Shared by the Preact UI
 * (icons.tsx) and the plain-DOM launcher of widget.js (main.tsx). */
export const paths = {
  chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2Z',
  help: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm-1 15h2v-2h-2Zm1-11a4 4 0 0 0-4 4h2a2 2 0 1 1 3 1.7c-1 .6-2 1.3-2 3.3h2c0-2 3-2 3-5a4 4 0 0 0-4-4Z',
  sparkles: 'M11 2l2 6 6 2-6 2-2 6-2-6-6-2 6-2 2-6Zm8 12l1 3 3 1-3 1-1 3-1-3-3-1 3-1 1-3Z',
  close: 'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4Z',
  send: 'M3 20.5 21 12 3 3.5V10l12 2-12 2Z',
  stop: 'M7 7h10v10H7Z',
  clip: 'M8 7v9a4 4 0 0 0 8 0V6a2.5 2.5 0 0 0-5 0v9a1 1 0 0 0 2 0V7h1v8a2 2 0 0 1-4 0V6a3.5 3.5 0 0 1 7 0v10a5 5 0 0 1-10 0V7Z',
  // Thumbs up; the 👎 button flips it (CSS), so one path serves both.
  up: 'M2 21h4V9H2Zm20-11a2 2 0 0 0-2-2h-6l1-5-1-2-7 7v12h11l4-9Z',
  plus: 'M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6Z',
};
