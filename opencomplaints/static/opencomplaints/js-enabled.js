// GOV.UK Frontend styles some components differently when JavaScript runs; kept as a file for the CSP.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
