/**
 * Translations other than English, one '|'-separated line per language in the order of `keys` in i18n.ts. They are
 * not bundled into widget.js (budget): scripts/build-ui.ts writes each as dist/public/widget-l10n/<code>.js, which
 * the widget loads on demand and which calls `Parley.l10n(code, line)`.
 */
export const translations: Record<string, string> = {
  es: 'Abrir chat|Cerrar chat|Enviar|Escribe un mensaje…|Detener|Reintentar|Nueva conversación|Adjuntar un archivo|Sin conexión|Reconectando…|La respuesta falló.|No enviado.|Escribiendo…|Útil|No útil|Demasiados mensajes, espera un momento.|El archivo es demasiado grande.|Detenida|Este sitio web ({origin}) no puede usar este chatbot. Su propietario puede añadirlo en las claves del widget del chatbot.|Fuentes',
  fr: 'Ouvrir le chat|Fermer le chat|Envoyer|Écrivez un message…|Arrêter|Réessayer|Nouvelle conversation|Joindre un fichier|Vous êtes hors ligne|Reconnexion…|La réponse a échoué.|Non envoyé.|Écrit…|Utile|Pas utile|Trop de messages, patientez un instant.|Ce fichier est trop volumineux.|Arrêtée|Ce site ({origin}) n’est pas autorisé à utiliser ce chatbot. Son propriétaire peut l’ajouter dans les clés de widget du chatbot.|Sources',
  de: 'Chat öffnen|Chat schließen|Senden|Nachricht eingeben…|Stopp|Erneut versuchen|Neues Gespräch|Datei anhängen|Sie sind offline|Verbinde neu…|Die Antwort ist fehlgeschlagen.|Nicht gesendet.|Schreibt…|Hilfreich|Nicht hilfreich|Zu viele Nachrichten, bitte kurz warten.|Die Datei ist zu groß.|Gestoppt|Diese Website ({origin}) darf diesen Chatbot nicht verwenden. Ihr Betreiber kann sie bei den Widget-Schlüsseln des Chatbots hinzufügen.|Quellen',
  pt: 'Abrir chat|Fechar chat|Enviar|Escreva uma mensagem…|Parar|Tentar novamente|Nova conversa|Anexar um arquivo|Você está offline|Reconectando…|A resposta falhou.|Não enviada.|Digitando…|Útil|Não útil|Muitas mensagens, aguarde um momento.|O arquivo é grande demais.|Interrompida|Este site ({origin}) não tem permissão para usar este chatbot. O proprietário pode adicioná-lo nas chaves do widget do chatbot.|Fontes',
};
