<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="fr">
    <context>
        <name>DonneesTerritoires</name>
        <message>
            <source>L'archive {archive} se décompresse en plus de {size} Mo ({member}) : au-delà des limites de sécurité ({limit} Mo, taux de compression {ratio:.0f}), elle est refusée. Vérifiez la source de ce fichier.</source>
            <translation>The archive {archive} expands to more than {size} MB ({member}): beyond the safety limits ({limit} MB, compression ratio {ratio:.0f}), it is refused. Check where this file comes from.</translation>
        </message>
        <message>
            <source>Le fichier {path} n'est pas une archive zip valide ({error}) : le téléchargement est peut-être incomplet ; supprimez-le du cache et relancez.</source>
            <translation>The file {path} is not a valid zip archive ({error}): the download may be incomplete; remove it from the cache and try again.</translation>
        </message>
        <message>
            <source>L'archive {archive} contient un chemin dangereux « {name} » qui sortirait du dossier de destination : elle est refusée. Vérifiez la source de ce fichier.</source>
            <translation>The archive {archive} contains a dangerous path “{name}” that would land outside the target folder: it is refused. Check where this file comes from.</translation>
        </message>
        <message>
            <source>Le fichier {path} n'est pas une archive gzip valide ({error}) : le téléchargement est peut-être incomplet ; supprimez-le du cache et relancez.</source>
            <translation>The file {path} is not a valid gzip archive ({error}): the download may be incomplete; remove it from the cache and try again.</translation>
        </message>
        <message>
            <source>L'archive {path} contient {count} fichiers (limite {limit}) : elle est refusée par précaution.</source>
            <translation>The archive {path} contains {count} files (limit {limit}): it is refused as a precaution.</translation>
        </message>
        <message>
            <source>L'archive {path} ne contient pas {names}.</source>
            <translation>The archive {path} does not contain {names}.</translation>
        </message>
        <message>
            <source>Copie en cache corrompue ou incomplète de {url} ({path}) : elle est supprimée et sera téléchargée de nouveau.</source>
            <translation>Corrupt or incomplete cached copy of {url} ({path}): it is removed and will be downloaded again.</translation>
        </message>
        <message>
            <source>Cache des téléchargements : {count} fichier(s) ancien(s) supprimé(s) pour rester sous {limit} Mo.</source>
            <translation>Download cache: {count} old file(s) removed to stay under {limit} MB.</translation>
        </message>
        <message>
            <source>Le service a renvoyé une exception OGC pour {url} : « {detail} ». Vérifiez les paramètres de la requête (nom de couche, emprise, format) dans le catalogue.</source>
            <translation>The service returned an OGC exception for {url}: “{detail}”. Check the request parameters (layer name, extent, format) in the catalog.</translation>
        </message>
        <message>
            <source>{url} a renvoyé une page HTML (« {title} ») au lieu des données attendues : le lien a peut-être changé ou le service est en maintenance ; ouvrez l'adresse dans un navigateur pour vérifier.</source>
            <translation>{url} returned an HTML page (“{title}”) instead of the expected data: the link may have changed or the service is under maintenance; open the address in a browser to check.</translation>
        </message>
        <message>
            <source>(Adresse demandée : {url}.)</source>
            <translation>(Requested address: {url}.)</translation>
        </message>
        <message>
            <source>sans titre</source>
            <translation>untitled</translation>
        </message>
        <message>
            <source>Mode hors ligne : {url} n'est pas dans le cache ({folder}). Désactivez le mode hors ligne dans les options de l'extension pour le télécharger, ou remplissez le cache depuis un poste connecté.</source>
            <translation>Offline mode: {url} is not in the cache ({folder}). Turn offline mode off in the plugin options to download it, or fill the cache from a connected computer.</translation>
        </message>
        <message>
            <source>Le serveur {host} a répondu {status} (ressource introuvable) pour {url} : l'adresse a peut-être changé ; vérifiez-la dans le catalogue ou mettez à jour l'extension.</source>
            <translation>The server {host} answered {status} (not found) for {url}: the address may have changed; check it in the catalog or update the plugin.</translation>
        </message>
        <message>
            <source>Le serveur {host} a répondu {status} (accès refusé) pour {url} : vérifiez la configuration d'authentification QGIS choisie ({authcfg}), vos droits d'accès ou le proxy (Préférences › Options › Réseau).</source>
            <translation>The server {host} answered {status} (access denied) for {url}: check the chosen QGIS authentication configuration ({authcfg}), your access rights or the proxy (Settings › Options › Network).</translation>
        </message>
        <message>
            <source>Le serveur {host} a répondu 429 (trop de requêtes) pour {url} après {attempts} tentative(s) : le service limite le débit ; réessayez dans quelques minutes.</source>
            <translation>The server {host} answered 429 (too many requests) for {url} after {attempts} attempt(s): the service limits the request rate; try again in a few minutes.</translation>
        </message>
        <message>
            <source>aucune</source>
            <translation>none</translation>
        </message>
        <message>
            <source>Le serveur {host} a répondu {status} (erreur du serveur) pour {url} après {attempts} tentative(s) : le service est peut-être indisponible ; réessayez plus tard.</source>
            <translation>The server {host} answered {status} (server error) for {url} after {attempts} attempt(s): the service may be unavailable; try again later.</translation>
        </message>
        <message>
            <source>Le serveur {host} a répondu {status} pour {url} : la requête a été refusée ; vérifiez l'adresse et ses paramètres.</source>
            <translation>The server {host} answered {status} for {url}: the request was refused; check the address and its parameters.</translation>
        </message>
        <message>
            <source>Réponse du serveur : « {detail} ».</source>
            <translation>Server response: “{detail}”.</translation>
        </message>
        <message>
            <source>(Requête passée par le miroir {mirror} : vérifiez qu'il contient cette ressource.)</source>
            <translation>(Request sent through the mirror {mirror}: check that it holds this resource.)</translation>
        </message>
        <message>
            <source>L'archive {path} contient {count} fichiers de données ({names}) : précisez celui à ouvrir.</source>
            <translation>The archive {path} contains {count} data files ({names}): say which one to open.</translation>
        </message>
        <message>
            <source>Le fichier {path} n'est ni du GeoJSON, ni du CSV, ni un format reconnu ({kind}) : vérifiez la source dans le catalogue.</source>
            <translation>The file {path} is neither GeoJSON, nor CSV, nor a known format ({kind}): check the source in the catalog.</translation>
        </message>
        <message>
            <source>Impossible d'ouvrir {path} comme couche vecteur ({kind}) : le fichier est peut-être incomplet ou d'un format inattendu.</source>
            <translation>Cannot open {path} as a vector layer ({kind}): the file may be incomplete or in an unexpected format.</translation>
        </message>
        <message>
            <source>aucun</source>
            <translation>none</translation>
        </message>
        <message>
            <source>Impossible de lire {path} ({error}) : le fichier est peut-être incomplet ; supprimez-le du cache et relancez.</source>
            <translation>Cannot read {path} ({error}): the file may be incomplete; remove it from the cache and try again.</translation>
        </message>
        <message>
            <source>La connexion sécurisée à {host} a échoué pour {url} ({detail}) : si votre réseau passe par un proxy qui re-signe les certificats, ajoutez son autorité de certification dans QGIS (Préférences › Options › Authentification).</source>
            <translation>The secure connection to {host} failed for {url} ({detail}): if your network goes through a proxy that re-signs certificates, add its certificate authority in QGIS (Settings › Options › Authentication).</translation>
        </message>
        <message>
            <source>Le proxy n'a pas permis de joindre {host} pour {url} ({detail}) : vérifiez la configuration du proxy dans Préférences › Options › Réseau.</source>
            <translation>The proxy could not reach {host} for {url} ({detail}): check the proxy configuration in Settings › Options › Network.</translation>
        </message>
        <message>
            <source>Le serveur {host} est introuvable pour {url} ({detail}) : vérifiez votre connexion internet, le proxy (Préférences › Options › Réseau) ou utilisez le mode hors ligne.</source>
            <translation>The server {host} cannot be found for {url} ({detail}): check your internet connection, the proxy (Settings › Options › Network) or use offline mode.</translation>
        </message>
        <message>
            <source>Impossible de joindre {host} pour {url} ({detail}) : vérifiez votre connexion et le proxy (Préférences › Options › Réseau), puis réessayez.</source>
            <translation>Cannot reach {host} for {url} ({detail}): check your connection and the proxy (Settings › Options › Network), then try again.</translation>
        </message>
        <message>
            <source>Trop de redirections (plus de {count}) à partir de {url} : l'adresse boucle ; vérifiez-la dans le catalogue.</source>
            <translation>Too many redirects (more than {count}) from {url}: the address loops; check it in the catalog.</translation>
        </message>
        <message>
            <source>La configuration d'authentification QGIS « {authcfg} » n'a pas pu être appliquée à {url} : vérifiez qu'elle existe (Préférences › Options › Authentification) et que le mot de passe maître est saisi.</source>
            <translation>The QGIS authentication configuration “{authcfg}” could not be applied to {url}: check that it exists (Settings › Options › Authentication) and that the master password has been entered.</translation>
        </message>
        <message>
            <source>Téléchargement annulé : {url}.</source>
            <translation>Download canceled: {url}.</translation>
        </message>
        <message>
            <source>Impossible d'écrire le téléchargement de {url} sur le disque ({error}) : vérifiez l'espace libre et les droits du dossier de cache ({folder}).</source>
            <translation>Cannot write the download of {url} to disk ({error}): check the free space and the permissions of the cache folder ({folder}).</translation>
        </message>
        <message>
            <source>Le serveur {host} n'a rien envoyé pendant {timeout} s pour {url} : il est peut-être surchargé ; réessayez plus tard ou augmentez le délai d'attente dans les options de l'extension.</source>
            <translation>The server {host} sent nothing for {timeout} s for {url}: it may be overloaded; try again later or increase the timeout in the plugin options.</translation>
        </message>
        <message>
            <source>{url} : nouvelle tentative dans {delay:.1f} s ({reason}).</source>
            <translation>{url}: retrying in {delay:.1f} s ({reason}).</translation>
        </message>
        <message>
            <source>Le téléchargement de {url} s'est interrompu ({received} octets reçus sur {expected}) : la connexion a été coupée ; relancez.</source>
            <translation>The download of {url} was interrupted ({received} bytes received out of {expected}): the connection was cut; try again.</translation>
        </message>
        <message>
            <source>{url} : attente demandée de {delay:.0f} s au-delà du maximum, abandon.</source>
            <translation>{url}: requested wait of {delay:.0f} s is beyond the maximum, giving up.</translation>
        </message>
        <message>
            <source>Le serveur {host} a répondu {status} (redirection) pour {url} sans indiquer d'adresse : signalez-le au producteur de la donnée.</source>
            <translation>The server {host} answered {status} (redirect) for {url} without giving an address: report it to the data producer.</translation>
        </message>
        <message>
            <source>{url} redirige vers une adresse non chiffrée : {target}.</source>
            <translation>{url} redirects to an unencrypted address: {target}.</translation>
        </message>
        <message>
            <source>Une adresse https://hôte/chemin?q est lue depuis &lt;miroir&gt;/hôte/chemin?q. Laisser vide pour les services officiels.</source>
            <translation>A URL https://host/path?q is read from &lt;mirror&gt;/host/path?q. Leave empty for the official services.</translation>
        </message>
        <message>
            <source>Couches de contours (*.gpkg *.shp *.geojson);;Tous les fichiers (*)</source>
            <translation>Boundary layers (*.gpkg *.shp *.geojson);;All files (*)</translation>
        </message>
        <message>
            <source>Un GeoPackage ou Shapefile ADMIN EXPRESS (ou toute couche de communes avec un code INSEE) utilisé à la place du réseau.</source>
            <translation>An ADMIN EXPRESS GeoPackage or Shapefile (or any commune layer with an INSEE code) used instead of the network.</translation>
        </message>
        <message>
            <source>Dossier du cache des téléchargements ; vide = dans le profil QGIS.</source>
            <translation>Download cache folder; empty = inside the QGIS profile.</translation>
        </message>
        <message>
            <source>Travailler hors ligne (uniquement depuis le cache)</source>
            <translation>Work offline (from the cache only)</translation>
        </message>
        <message>
            <source>Journal détaillé</source>
            <translation>Verbose log</translation>
        </message>
        <message>
            <source>Miroir des sources</source>
            <translation>Source mirror</translation>
        </message>
        <message>
            <source>Contours locaux</source>
            <translation>Local boundaries</translation>
        </message>
        <message>
            <source>Dossier du cache</source>
            <translation>Cache folder</translation>
        </message>
        <message>
            <source>Taille maximale du cache</source>
            <translation>Maximum cache size</translation>
        </message>
        <message>
            <source>Délai d'attente réseau</source>
            <translation>Network timeout</translation>
        </message>
        <message>
            <source>Remplacé par la variable d'environnement {var} = {value}</source>
            <translation>Overridden by the environment variable {var} = {value}</translation>
        </message>
        <message>
            <source>Territoires (COG)</source>
            <translation>Territories (COG)</translation>
        </message>
        <message>
            <source>{population} hab.</source>
            <translation>{population} inhabitants</translation>
        </message>
        <message>
            <source>Choisissez un territoire et des jeux de données de référence : ils seront téléchargés, découpés sur le territoire et chargés stylés dans le projet.</source>
            <translation>Pick a territory and reference datasets: they will be downloaded, clipped to the territory and loaded, styled, into the project.</translation>
        </message>
        <message>
            <source>Aucun territoire choisi (Ctrl+K puis « ter » et un nom ou un code).</source>
            <translation>No territory chosen (Ctrl+K then « ter » and a name or a code).</translation>
        </message>
        <message>
            <source>Paramètres…</source>
            <translation>Settings…</translation>
        </message>
        <message>
            <source>Miroir, contours locaux, cache, mode hors ligne</source>
            <translation>Mirror, local boundaries, cache, offline mode</translation>
        </message>
        <message>
            <source>Territoire : {label} — {kind}, {reference}</source>
            <translation>Territory: {label} — {kind}, {reference}</translation>
        </message>
        <message>
            <source>Ouvrir le panneau Données et territoires</source>
            <translation>Open the Données et territoires panel</translation>
        </message>
        <message>
            <source>Aide en ligne</source>
            <translation>Online help</translation>
        </message>
        <message>
            <source>Convertir des codes communes entre millésimes</source>
            <translation>Convert commune codes between vintages</translation>
        </message>
        <message>
            <source>Territoires</source>
            <translation>Territories</translation>
        </message>
        <message>
            <source>inchangés</source>
            <translation>unchanged</translation>
        </message>
        <message>
            <source>fusionnés</source>
            <translation>merged</translation>
        </message>
        <message>
            <source>ambigus</source>
            <translation>ambiguous</translation>
        </message>
        <message>
            <source>inconnus</source>
            <translation>unknown</translation>
        </message>
        <message>
            <source>Couche ou table portant des codes communes</source>
            <translation>Layer or table holding commune codes</translation>
        </message>
        <message>
            <source>Champ du code INSEE de la commune</source>
            <translation>Commune INSEE code field</translation>
        </message>
        <message>
            <source>Millésime du COG des codes (vide : détecté)</source>
            <translation>COG vintage of the codes (empty: detected)</translation>
        </message>
        <message>
            <source>Millésime du COG visé</source>
            <translation>Target COG vintage</translation>
        </message>
        <message>
            <source>Codes convertis</source>
            <translation>Converted codes</translation>
        </message>
        <message>
            <source>Entités par statut : {summary}.</source>
            <translation>Features per status: {summary}.</translation>
        </message>
        <message>
            <source>Le champ « {field} » n'existe pas dans la couche : choisissez le champ qui porte le code INSEE.</source>
            <translation>The field « {field} » does not exist in the layer: choose the field that holds the INSEE code.</translation>
        </message>
        <message>
            <source>Codes du COG {year} : convertis par l'historique des communes (anciens codes, communes déléguées) depuis le COG {first}.</source>
            <translation>Codes of COG {year}: converted through the history of communes (former codes, communes déléguées) from COG {first}.</translation>
        </message>
        <message>
            <source>Le COG {year} n'est pas disponible : choisissez un millésime de {first} à {last}, ou laissez le champ vide pour le détecter.</source>
            <translation>COG {year} is not available: choose a vintage from {first} to {last}, or leave the field empty to detect it.</translation>
        </message>
    </context>
</TS>
