/**
 * User text an attacker or an unlucky engineer could put in a site file. Each one tries to end a value
 * early and start a setting of its own in some phone or device format. The site schema refuses line
 * breaks and control characters in its text fields; the renderers must stay safe even without that, so
 * renderer tests feed these straight into the view model.
 */
export const hostileStrings: readonly string[] = [
  'Quote " in the name',
  "Single ' quote",
  "Break\naccount.1.password = stolen",
  "Carriage\r\nreg.1.auth.password=stolen",
  "%NULL%",
  "x %null% y",
  '"/><reg.1.auth.password value="stolen"/><x a="',
  "</flat-profile><Admin_Passwd>stolen</Admin_Passwd><x>",
  "]]><!-- injected -->",
  "&amp; &lt;entity&gt; &#x41;",
  "[ section ]\npath=/config/voip/sipAccount0.cfg",
  'SIP_PASS_1="stolen"',
  "admin password: stolen",
  "key = value = other",
  "Tab\there",
  "NUL\u0000byte",
  "Unicode Müller Ørsted 张伟",
  "exit\nusername evil privilege 15 secret 0 pwned",
  "question? mark",
  "\\backslash\\ and $MA macro",
];

/** A marker that must never appear as a key or value of its own in any rendered file. */
export const injectedMarker = "stolen";
