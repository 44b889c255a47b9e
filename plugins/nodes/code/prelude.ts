/**
 * Appended after the admin's code (never before, so the line numbers in errors are the admin's own lines; function
 * declarations are hoisted, and `main` is only called once the whole script has run). It gives the host functions
 * their friendly shapes: `http.get` / `http.post`, and optional arguments.
 */
export const PRELUDE = `
;var http = Object.freeze({
  get: function (url, options) { return __http('GET', url, options === undefined ? {} : options); },
  post: function (url, body, options) {
    var o = options === undefined ? {} : options;
    return __http('POST', url, { headers: o.headers, body: body === undefined ? null : body });
  },
});
var log = function () { console.log.apply(console, arguments); };
`;
