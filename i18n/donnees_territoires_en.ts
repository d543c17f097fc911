<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="fr">
    <context>
        <name>DonneesTerritoires</name>
        <message>
            <source>Jeu de données « {id} » absent des catalogues chargés ({catalogs}).</source>
            <translation>Dataset “{id}” is not in the loaded catalogs ({catalogs}).</translation>
        </message>
        <message>
            <source>Le jeu data.gouv.fr « {dataset} » n'a aucune ressource qui corresponde à « {wanted} ». Ressources proposées : {offered}. Corrigez le sélecteur de ressource (« source.resource », ou « source.fallback ») de l'entrée du catalogue.</source>
            <translation>The data.gouv.fr dataset « {dataset} » has no resource matching « {wanted} ». Resources offered: {offered}. Fix the catalog entry's resource selector (« source.resource », or « source.fallback »).</translation>
        </message>
        <message>
            <source>un texte</source>
            <translation>a text</translation>
        </message>
        <message>
            <source>un nombre entier</source>
            <translation>an integer</translation>
        </message>
        <message>
            <source>un nombre</source>
            <translation>a number</translation>
        </message>
        <message>
            <source>true ou false</source>
            <translation>true or false</translation>
        </message>
        <message>
            <source>un objet</source>
            <translation>an object</translation>
        </message>
        <message>
            <source>une liste</source>
            <translation>a list</translation>
        </message>
        <message>
            <source>minuscules, chiffres et tirets</source>
            <translation>lower-case letters, digits and hyphens</translation>
        </message>
        <message>
            <source>une adresse http:// ou https:// est attendue</source>
            <translation>an http:// or https:// address is expected</translation>
        </message>
        <message>
            <source>« legal » ou « EPSG:code » est attendu</source>
            <translation>“legal” or “EPSG:code” is expected</translation>
        </message>
        <message>
            <source>« EPSG:code » est attendu</source>
            <translation>“EPSG:code” is expected</translation>
        </message>
        <message>
            <source>« latest » ou une date AAAA-MM-JJ est attendue</source>
            <translation>“latest” or a YYYY-MM-DD date is expected</translation>
        </message>
        <message>
            <source>« espace:couche » est attendu</source>
            <translation>“namespace:layer” is expected</translation>
        </message>
        <message>
            <source>un nom de champ (lettres, chiffres, _) est attendu</source>
            <translation>a field name (letters, digits, _) is expected</translation>
        </message>
        <message>
            <source>(document)</source>
            <translation>(document)</translation>
        </message>
        <message>
            <source> ou </source>
            <translation> or </translation>
        </message>
        <message>
            <source>champ « {field} » non valide</source>
            <translation>field “{field}” is not valid</translation>
        </message>
        <message>
            <source>champ « {field} » manquant</source>
            <translation>field “{field}” is missing</translation>
        </message>
        <message>
            <source>champ « {field} » inconnu</source>
            <translation>field “{field}” is unknown</translation>
        </message>
        <message>
            <source>champ « {field} » : il faut {expected}</source>
            <translation>field “{field}”: {expected} is required</translation>
        </message>
        <message>
            <source>champ « {field} » : valeur « {value} » non permise (valeurs permises : {allowed})</source>
            <translation>field “{field}”: value “{value}” is not allowed (allowed values: {allowed})</translation>
        </message>
        <message>
            <source>champ « {field} » : valeur « {value} » non permise (attendu : {allowed})</source>
            <translation>field “{field}”: value “{value}” is not allowed (expected: {allowed})</translation>
        </message>
        <message>
            <source>champ « {field} » : valeur « {value} » mal formée</source>
            <translation>field “{field}”: value “{value}” is malformed</translation>
        </message>
        <message>
            <source>champ « {field} » vide</source>
            <translation>field “{field}” is empty</translation>
        </message>
        <message>
            <source>champ « {field} » trop court (au moins {limit} caractères)</source>
            <translation>field “{field}” is too short (at least {limit} characters)</translation>
        </message>
        <message>
            <source>champ « {field} » trop long (au plus {limit} caractères)</source>
            <translation>field “{field}” is too long (at most {limit} characters)</translation>
        </message>
        <message>
            <source>champ « {field} » : {value} est inférieur au minimum {limit}</source>
            <translation>field “{field}”: {value} is below the minimum {limit}</translation>
        </message>
        <message>
            <source>champ « {field} » : {value} est supérieur au maximum {limit}</source>
            <translation>field “{field}”: {value} is above the maximum {limit}</translation>
        </message>
        <message>
            <source>liste « {field} » trop courte (au moins {limit} éléments)</source>
            <translation>list “{field}” is too short (at least {limit} items)</translation>
        </message>
        <message>
            <source>liste « {field} » trop longue (au plus {limit} éléments)</source>
            <translation>list “{field}” is too long (at most {limit} items)</translation>
        </message>
        <message>
            <source>liste « {field} » : « {value} » en double</source>
            <translation>list “{field}”: “{value}” appears twice</translation>
        </message>
        <message>
            <source>Entrée « {entry} » du catalogue {catalog} : {problems}.</source>
            <translation>Entry “{entry}” of catalog {catalog}: {problems}.</translation>
        </message>
        <message>
            <source>n° {number}</source>
            <translation>no. {number}</translation>
        </message>
        <message>
            <source>Entrée n° {number} du catalogue {catalog} : {problems}.</source>
            <translation>Entry no. {number} of catalog {catalog}: {problems}.</translation>
        </message>
        <message>
            <source>Catalogue {catalog} refusé : il dépasse {limit} Mo.</source>
            <translation>Catalog {catalog} refused: it exceeds {limit} MB.</translation>
        </message>
        <message>
            <source>Catalogue {catalog} refusé : le document doit être un objet JSON avec « format_version » et « datasets ».</source>
            <translation>Catalog {catalog} refused: the document must be a JSON object with “format_version” and “datasets”.</translation>
        </message>
        <message>
            <source>Catalogue {catalog} refusé : {problems}.</source>
            <translation>Catalog {catalog} refused: {problems}.</translation>
        </message>
        <message>
            <source>l'entrée doit être un objet JSON</source>
            <translation>the entry must be a JSON object</translation>
        </message>
        <message>
            <source>identifiant déjà utilisé par une entrée précédente de ce catalogue</source>
            <translation>identifier already used by an earlier entry of this catalog</translation>
        </message>
        <message>
            <source>Catalogue {catalog} refusé : seules les adresses https:// sont acceptées.</source>
            <translation>Catalog {catalog} refused: only https:// addresses are accepted.</translation>
        </message>
        <message>
            <source>champ « {field} » : {problem}</source>
            <translation>field “{field}”: {problem}</translation>
        </message>
        <message>
            <source>champ « {field} » : valeur « {value} » mal formée ({hint})</source>
            <translation>field “{field}”: value “{value}” is malformed ({hint})</translation>
        </message>
        <message>
            <source>Catalogue {catalog} refusé : le fichier n'est pas encodé en UTF-8.</source>
            <translation>Catalog {catalog} refused: the file is not UTF-8 encoded.</translation>
        </message>
        <message>
            <source>Catalogue {catalog} refusé : ce n'est pas du JSON valide (ligne {line}, colonne {column} : {error}).</source>
            <translation>Catalog {catalog} refused: this is not valid JSON (line {line}, column {column}: {error}).</translation>
        </message>
        <message>
            <source>Catalogue {catalog} refusé : ce n'est pas du JSON valide.</source>
            <translation>Catalog {catalog} refused: this is not valid JSON.</translation>
        </message>
        <message>
            <source>Catalogue {catalog} illisible : {error}.</source>
            <translation>Catalog {catalog} cannot be read: {error}.</translation>
        </message>
        <message>
            <source>Catalogue {catalog} non téléchargé : {error}</source>
            <translation>Catalog {catalog} not downloaded: {error}</translation>
        </message>
        <message>
            <source>champ « {field} » : une source « {kind} » demande la variable {placeholder} dans l'adresse</source>
            <translation>field “{field}”: a “{kind}” source needs the {placeholder} variable in its address</translation>
        </message>
        <message>
            <source>champ « {field} » manquant : l'adresse utilise {placeholder}</source>
            <translation>field “{field}” is missing: the address uses {placeholder}</translation>
        </message>
        <message>
            <source>champ « {field} » : l'adresse d'un service (« {kind} ») ne prend aucune variable</source>
            <translation>field “{field}”: the address of a service (“{kind}”) takes no variable</translation>
        </message>
        <message>
            <source>champ « {field} » : la variable {placeholder} ne convient pas à une source « {kind} »</source>
            <translation>field “{field}”: the {placeholder} variable does not suit a “{kind}” source</translation>
        </message>
        <message>
            <source>Contours administratifs</source>
            <translation>Administrative boundaries</translation>
        </message>
        <message>
            <source>Cadastre</source>
            <translation>Cadastre</translation>
        </message>
        <message>
            <source>Adresses</source>
            <translation>Addresses</translation>
        </message>
        <message>
            <source>Foncier</source>
            <translation>Land and property</translation>
        </message>
        <message>
            <source>Économie</source>
            <translation>Economy</translation>
        </message>
        <message>
            <source>BD TOPO</source>
            <translation>BD TOPO</translation>
        </message>
        <message>
            <source>Statistique</source>
            <translation>Statistics</translation>
        </message>
        <message>
            <source>Politiques publiques</source>
            <translation>Public policies</translation>
        </message>
        <message>
            <source>Fonds de plan</source>
            <translation>Base maps</translation>
        </message>
        <message>
            <source>Urbanisme</source>
            <translation>Town planning</translation>
        </message>
        <message>
            <source>Environnement</source>
            <translation>Environment</translation>
        </message>
        <message>
            <source>Agriculture</source>
            <translation>Agriculture</translation>
        </message>
        <message>
            <source>Risques</source>
            <translation>Hazards</translation>
        </message>
        <message>
            <source>Mobilité</source>
            <translation>Mobility</translation>
        </message>
        <message>
            <source>Autres données</source>
            <translation>Other data</translation>
        </message>
        <message>
            <source>intégré</source>
            <translation>built-in</translation>
        </message>
        <message>
            <source>Le territoire ne fournit aucun code « {codes} » pour filtrer « {dataset} » sur le champ « {field} ».</source>
            <translation>The territory provides no “{codes}” code to filter “{dataset}” on field “{field}”.</translation>
        </message>
        <message>
            <source>Le territoire ne fournit aucune unité pour l'adresse de « {dataset} » ({template}).</source>
            <translation>The territory provides no unit for the address of “{dataset}” ({template}).</translation>
        </message>
        <message>
            <source>Le territoire ne fournit aucune valeur de partition pour « {dataset} » ({templates}).</source>
            <translation>The territory gives no partition value for « {dataset} » ({templates}).</translation>
        </message>
        <message>
            <source>Aucune année choisie pour « {dataset} » : indiquez les années à télécharger.</source>
            <translation>No year chosen for “{dataset}”: give the years to download.</translation>
        </message>
        <message>
            <source>le style « {style} » sort du dossier du catalogue : indiquez une adresse https:// ou un fichier .qml placé à côté du catalogue</source>
            <translation>style “{style}” leaves the catalog folder: give an https:// address or a .qml file placed next to the catalog</translation>
        </message>
        <message>
            <source>le style déclare des actions (commandes exécutables)</source>
            <translation>the style declares actions (executable commands)</translation>
        </message>
        <message>
            <source>le style active du code Python d'initialisation de formulaire</source>
            <translation>the style enables Python form initialisation code</translation>
        </message>
        <message>
            <source>le style « {style} » doit être servi en https://</source>
            <translation>style “{style}” must be served over https://</translation>
        </message>
        <message>
            <source>le style « {style} » est relatif, mais ce catalogue n'a pas de dossier : indiquez une adresse https://</source>
            <translation>style “{style}” is relative, but this catalog has no folder: give an https:// address</translation>
        </message>
        <message>
            <source>ce fichier n'est pas un style QGIS (élément racine « {tag} »)</source>
            <translation>this file is not a QGIS style (root element “{tag}”)</translation>
        </message>
        <message>
            <source>fichier QML illisible ({error})</source>
            <translation>unreadable QML file ({error})</translation>
        </message>
        <message>
            <source>L'emprise du territoire est inconnue : impossible de remplir {bbox}.</source>
            <translation>The extent of the territory is unknown: {bbox} cannot be filled.</translation>
        </message>
        <message>
            <source>accolades mal formées : seules les variables {allowed} sont permises</source>
            <translation>malformed braces: only the variables {allowed} are allowed</translation>
        </message>
        <message>
            <source>Code de territoire invalide : « {code} ».</source>
            <translation>Invalid territory code: “{code}”.</translation>
        </message>
        <message>
            <source>variable « {name} » inconnue (variables permises : {allowed})</source>
            <translation>unknown variable “{name}” (allowed variables: {allowed})</translation>
        </message>
        <message>
            <source>Aucune valeur pour la variable « {name} » de l'adresse {template}.</source>
            <translation>No value for variable “{name}” of address {template}.</translation>
        </message>
        <message>
            <source>Aucun jeu de transport en commun (GTFS) du point d'accès national ne couvre {territory} (communes, EPCI, départements et régions du territoire regardés).</source>
            <translation>No public transport dataset (GTFS) of the national access point covers {territory} (the territory's municipalities, EPCI, départements and regions were looked at).</translation>
        </message>
        <message>
            <source>« {title} » ({id}) : {error}</source>
            <translation>« {title} » ({id}): {error}</translation>
        </message>
        <message>
            <source>{count} fichiers absents chez le producteur pour {territory}.</source>
            <translation>{count} files missing at the producer for {territory}.</translation>
        </message>
        <message>
            <source>Aucun jeu de données choisi : cochez au moins un jeu de données.</source>
            <translation>No dataset chosen: check at least one dataset.</translation>
        </message>
        <message>
            <source>aucune donnée reçue pour {territory}.</source>
            <translation>no data received for {territory}.</translation>
        </message>
        <message>
            <source>fichier absent chez le producteur pour {territory}.</source>
            <translation>file missing at the producer for {territory}.</translation>
        </message>
        <message>
            <source>Jeux de données inconnus des catalogues chargés : {ids}. Les identifiants sont ceux du catalogue, séparés par des virgules.</source>
            <translation>Datasets unknown to the loaded catalogs: {ids}. Ids are the catalog's, separated by commas.</translation>
        </message>
        <message>
            <source>{count} fichiers absents chez le producteur pour {territory}, et le fichier national de {year} non plus : {error}</source>
            <translation>{count} files missing at the producer's for {territory}, and the national file of {year} too: {error}</translation>
        </message>
        <message>
            <source>« {title} » ({id}) : {count} source(s) à télécharger.</source>
            <translation>« {title} » ({id}): {count} source(s) to download.</translation>
        </message>
        <message>
            <source>« {dataset} » est un fond de plan en affichage seulement (WMTS) : ajoutez-le au projet, il ne se télécharge pas.</source>
            <translation>« {dataset} » is a view-only base map (WMTS): add it to the project, it cannot be downloaded.</translation>
        </message>
        <message>
            <source>« {dataset} » est découpé par commune (code INSEE ou fichier par commune) : la zone tampon de {buffer:g} m ne s'y applique pas.</source>
            <translation>"{dataset}" is cut by commune (INSEE code or one file per commune): the {buffer:g} m buffer does not apply to it.</translation>
        </message>
        <message>
            <source>« {dataset} » : aucun fichier par commune pour {year} chez le producteur ; lecture du fichier national ({url}), filtré sur les communes du territoire.</source>
            <translation>« {dataset} »: no per-municipality file for {year} at the producer's; reading the national file ({url}), filtered on the territory's municipalities.</translation>
        </message>
        <message>
            <source>{id} (entrée refusée : {why})</source>
            <translation>{id} (entry refused: {why})</translation>
        </message>
        <message>
            <source>{id} (voulez-vous dire {guess} ?)</source>
            <translation>{id} (did you mean {guess}?)</translation>
        </message>
        <message>
            <source>La projection {crs} ({name}) ne couvre pas {territory} : les données y seront déformées. Laissez la projection vide pour la projection légale du territoire.</source>
            <translation>The projection {crs} ({name}) does not cover {territory}: the data will be distorted there. Leave the projection empty for the territory's legal projection.</translation>
        </message>
        <message>
            <source>« {dataset} » {year} : lu dans le fichier national du producteur (plus de fichiers par commune).</source>
            <translation>« {dataset} » {year}: read from the producer's national file (no more per-municipality files).</translation>
        </message>
        <message>
            <source>« {name} » n'a pas de géométrie : découpez-la par code INSEE (filtre attributaire) plutôt que par emplacement.</source>
            <translation>« {name} » has no geometry: cut it by INSEE code (attribute filter) rather than by location.</translation>
        </message>
        <message>
            <source>« {name} » n'a pas de champ « {field} » pour le filtre par code INSEE : champs présents : {fields}.</source>
            <translation>« {name} » has no « {field} » field for the INSEE code filter: fields present: {fields}.</translation>
        </message>
        <message>
            <source>Couche intermédiaire introuvable : {value}.</source>
            <translation>Intermediate layer not found: {value}.</translation>
        </message>
        <message>
            <source>Aucune entité de « {name} » sur le territoire : la couche produite est vide.</source>
            <translation>No feature of « {name} » in the territory: the output layer is empty.</translation>
        </message>
        <message>
            <source>{repaired} géométrie(s) invalide(s) réparée(s), {dropped} entité(s) écartée(s).</source>
            <translation>{repaired} invalid geometry(ies) repaired, {dropped} feature(s) dropped.</translation>
        </message>
        <message>
            <source>« {dataset} » : {count} entité(s) écartée(s), coordonnées impossibles (NaN, infini ou hors de toute projection).</source>
            <translation>"{dataset}": {count} feature(s) left out, impossible coordinates (NaN, infinite or beyond any projection).</translation>
        </message>
        <message>
            <source>« {dataset} » : {count} entité(s) écartée(s), géométrie de plus de {limit} sommets.</source>
            <translation>"{dataset}": {count} feature(s) left out, geometry of more than {limit} vertices.</translation>
        </message>
        <message>
            <source>« {dataset} » : {count} entité(s) sans géométrie (coordonnées absentes, illisibles ou impossibles à reprojeter).</source>
            <translation>"{dataset}": {count} feature(s) without geometry (coordinates missing, unreadable or impossible to reproject).</translation>
        </message>
        <message>
            <source>« {dataset} » : {count} entité(s) écartée(s), géométrie non reprojetable.</source>
            <translation>« {dataset} »: {count} feature(s) dropped, geometry could not be reprojected.</translation>
        </message>
        <message>
            <source>Filtre attributaire de « {name} » sans champ de code INSEE : précisez le champ dans le catalogue.</source>
            <translation>Attribute filter of « {name} » without an INSEE code field: set the field in the catalog.</translation>
        </message>
        <message>
            <source>Le service {url} ne propose pas la couche « {layer} » : vérifiez l'entrée « {dataset} » du catalogue.</source>
            <translation>The service {url} does not offer the layer « {layer} »: check the catalog entry « {dataset} ».</translation>
        </message>
        <message>
            <source>« {dataset} » : source en http non chiffré ({url}) ; les données pourraient être modifiées en chemin : préférez une adresse https dans le catalogue.</source>
            <translation>"{dataset}": source over unencrypted http ({url}); the data could be altered on the way: prefer an https address in the catalog.</translation>
        </message>
        <message>
            <source>« {dataset} » : {count} objet(s) lus dans {feeds} flux GTFS ({networks}).</source>
            <translation>« {dataset} »: {count} object(s) read from {feeds} GTFS feed(s) ({networks}).</translation>
        </message>
        <message>
            <source>« {dataset} » : le fichier reçu de {url} ne s'ouvre pas comme une couche (format {type} attendu).</source>
            <translation>« {dataset} »: the file received from {url} does not open as a layer ({type} format expected).</translation>
        </message>
        <message>
            <source>le fichier reçu de {url} n'a pas de géométrie (pour un CSV : pas de colonnes lon/lat ou longitude/latitude reconnues ; colonnes : {columns}). La source a peut-être changé de format : vérifiez l'entrée du catalogue, ou signalez-le au producteur.</source>
            <translation>the file received from {url} has no geometry (for a CSV: no lon/lat or longitude/latitude columns recognised; columns: {columns}). The source may have changed format: check the catalog entry, or report it to the producer.</translation>
        </message>
        <message>
            <source>le fichier reçu de {url} ne contient aucune ligne de données, seulement son en-tête ({columns}) : rien n'en a été écrit ; relancez plus tard, et signalez-le au producteur si cela persiste.</source>
            <translation>the file received from {url} holds no data row, only its header ({columns}): nothing of it was written; run again later, and tell the producer if it persists.</translation>
        </message>
        <message>
            <source>« {dataset} » : l'archive {url} ne contient aucun fichier « {pattern} » (contenu : {members}).</source>
            <translation>« {dataset} »: the archive {url} holds no file « {pattern} » (content: {members}).</translation>
        </message>
        <message>
            <source>Impossible d'extraire {member} de {archive} ({error}) : vérifiez l'espace libre du dossier de cache ({folder}).</source>
            <translation>Could not extract {member} from {archive} ({error}): check the free space of the cache folder ({folder}).</translation>
        </message>
        <message>
            <source>La réponse de {url} n'est pas la liste de jeux attendue ({error}).</source>
            <translation>The answer of {url} is not the expected list of datasets ({error}).</translation>
        </message>
        <message>
            <source>« {dataset} » : l'API {url} renvoie vers une page déjà lue ou au-delà de {count} pages : rien n'a été gardé.</source>
            <translation>« {dataset} »: the API {url} points back to a page already read or beyond {count} pages: nothing was kept.</translation>
        </message>
        <message>
            <source>« {dataset} » : la réponse de {url} n'a pas de liste « {key} » : l'API a peut-être changé ; vérifiez l'entrée du catalogue.</source>
            <translation>« {dataset} »: the answer of {url} has no « {key} » list: the API may have changed; check the catalog entry.</translation>
        </message>
        <message>
            <source>« {dataset} » : la page suivante annoncée par {url} est ailleurs ({following}) : elle n'est pas suivie.</source>
            <translation>« {dataset} »: the next page announced by {url} is elsewhere ({following}): it is not followed.</translation>
        </message>
        <message>
            <source>aucune</source>
            <translation>none</translation>
        </message>
        <message>
            <source>« {dataset} » : pas de fichier pour {unit} ({url}).</source>
            <translation>« {dataset} »: no file for {unit} ({url}).</translation>
        </message>
        <message>
            <source>La réponse de {url} n'est pas du JSON ({error}).</source>
            <translation>The answer of {url} is not JSON ({error}).</translation>
        </message>
        <message>
            <source>Contour du territoire impossible à préparer pour la découpe.</source>
            <translation>The territory's outline could not be prepared for cutting.</translation>
        </message>
        <message>
            <source>L'emprise personnalisée est vide ou illisible.</source>
            <translation>The custom extent is empty or unreadable.</translation>
        </message>
        <message>
            <source>L'emprise personnalisée ne se reprojette pas de {source} vers {target}.</source>
            <translation>The custom extent cannot be reprojected from {source} to {target}.</translation>
        </message>
        <message>
            <source>Le contour de {name} ne se reprojette pas dans la projection de « {dataset} ».</source>
            <translation>The contour of {name} cannot be reprojected to the projection of « {dataset} ».</translation>
        </message>
        <message>
            <source>Index spatial des contours impossible à construire.</source>
            <translation>The spatial index of the contours could not be built.</translation>
        </message>
        <message>
            <source>« {dataset} » : entités refusées par la couche de travail de {name}.</source>
            <translation>« {dataset} »: features refused by the working layer of {name}.</translation>
        </message>
        <message>
            <source>Fichier de travail {path} impossible à créer : {error}</source>
            <translation>Working file {path} cannot be created: {error}</translation>
        </message>
        <message>
            <source>Fichier de travail {path} : écriture impossible ({error}).</source>
            <translation>Working file {path}: write failed ({error}).</translation>
        </message>
        <message>
            <source>« {dataset} » : entités refusées par la couche de travail.</source>
            <translation>« {dataset} »: features refused by the working layer.</translation>
        </message>
        <message>
            <source>« {dataset} » : fichier de travail {path} illisible.</source>
            <translation>“{dataset}”: work file {path} cannot be read.</translation>
        </message>
        <message>
            <source>Le fichier {path} n'est pas une archive zip valide ({error}) : le téléchargement est peut-être incomplet ; supprimez-le du cache et relancez.</source>
            <translation>The file {path} is not a valid zip archive ({error}): the download may be incomplete; remove it from the cache and try again.</translation>
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
            <source>Copie en cache de {url} inutilisable ({reason}) : elle est supprimée et sera téléchargée de nouveau.</source>
            <translation>Cached copy of {url} unusable ({reason}): it is removed and will be downloaded again.</translation>
        </message>
        <message>
            <source>Mode hors ligne : {url} n'est pas dans le cache ({folder}). Désactivez le mode hors ligne dans les options de l'extension pour le télécharger, ou remplissez le cache depuis un poste connecté.</source>
            <translation>Offline mode: {url} is not in the cache ({folder}). Turn offline mode off in the plugin options to download it, or fill the cache from a connected computer.</translation>
        </message>
        <message>
            <source>{url} : nouvelle tentative, le fichier reçu n'était pas entier ({error}).</source>
            <translation>{url}: trying again, the file received was not whole ({error}).</translation>
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
            <source>La connexion sécurisée à {host} a échoué pour {url} ({detail}) : si votre réseau passe par un proxy qui re-signe les certificats, ajoutez son autorité de certification dans QGIS (Préférences › Options › Authentification).</source>
            <translation>The secure connection to {host} failed for {url} ({detail}): if your network goes through a proxy that re-signs certificates, add its certificate authority in QGIS (Settings › Options › Authentication).</translation>
        </message>
        <message>
            <source>Le proxy n'a pas permis de joindre {host} pour {url} ({detail}) : vérifiez la configuration du proxy dans Préférences › Options › Réseau.</source>
            <translation>The proxy could not reach {host} for {url} ({detail}): check the proxy configuration in Settings › Options › Network.</translation>
        </message>
        <message>
            <source>La connexion à {host} a été coupée pendant l'envoi à {url} : l'envoi n'a pas été répété, pour ne rien créer deux fois ; vérifiez votre connexion, puis relancez.</source>
            <translation>The connection to {host} was cut while sending to {url}: the request was not sent again, so that nothing is created twice; check your connection, then run again.</translation>
        </message>
        <message>
            <source>La configuration d'authentification QGIS « {authcfg} » n'a pas pu être appliquée à {url} : vérifiez qu'elle existe (Préférences › Options › Authentification) et que le mot de passe maître est saisi.</source>
            <translation>The QGIS authentication configuration “{authcfg}” could not be applied to {url}: check that it exists (Settings › Options › Authentication) and that the master password has been entered.</translation>
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
            <source>Téléchargement annulé : {url}.</source>
            <translation>Download canceled: {url}.</translation>
        </message>
        <message>
            <source>Impossible d'écrire le téléchargement de {url} sur le disque ({error}) : vérifiez l'espace libre et les droits du dossier de cache ({folder}).</source>
            <translation>Cannot write the download of {url} to disk ({error}): check the free space and the permissions of the cache folder ({folder}).</translation>
        </message>
        <message>
            <source>Le téléchargement de {url} dépasse la durée maximale de {limit:.0f} s ({received} octets reçus) : le serveur envoie trop lentement ; réessayez plus tard, ou allongez la durée maximale d'un téléchargement dans les options de l'extension.</source>
            <translation>The download of {url} exceeds the maximum duration of {limit:.0f} s ({received} bytes received): the server sends too slowly; try again later, or lengthen the maximum download duration in the plugin's options.</translation>
        </message>
        <message>
            <source>Le serveur {host} n'a rien envoyé pendant {timeout} s pour {url} : il est peut-être surchargé ; réessayez plus tard ou augmentez le délai d'attente dans les options de l'extension.</source>
            <translation>The server {host} sent nothing for {timeout} s for {url}: it may be overloaded; try again later or increase the timeout in the plugin options.</translation>
        </message>
        <message>
            <source>Le serveur {host} a envoyé {url} avec un encodage non pris en charge (« {encoding} ») : signalez-le au producteur de la donnée.</source>
            <translation>The server {host} sent {url} with an unsupported encoding (“{encoding}”): report it to the data producer.</translation>
        </message>
        <message>
            <source>Le téléchargement de {url} est incomplet : le flux compressé (gzip) s'arrête avant sa fin ou est corrompu ({received} octets reçus) ; relancez.</source>
            <translation>The download of {url} is incomplete: the compressed (gzip) stream stops before its end or is corrupt ({received} bytes received); run it again.</translation>
        </message>
        <message>
            <source>Le téléchargement de {url} s'est interrompu ({received} octets reçus sur {expected}) : la connexion a été coupée ; relancez.</source>
            <translation>The download of {url} was interrupted ({received} bytes received out of {expected}): the connection was cut; try again.</translation>
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
            <source>Le flux GTFS {label} n'est pas une archive zip lisible ({error}).</source>
            <translation>The GTFS feed {label} is not a readable zip archive ({error}).</translation>
        </message>
        <message>
            <source>Le flux GTFS {label} n'a pas de fichier {table}.txt.</source>
            <translation>The GTFS feed {label} has no {table}.txt file.</translation>
        </message>
        <message>
            <source>Le fichier {table}.txt du flux GTFS {label} n'a pas les colonnes {columns}.</source>
            <translation>The {table}.txt file of the GTFS feed {label} lacks the columns {columns}.</translation>
        </message>
        <message>
            <source>Trop de redirections (plus de {count}) à partir de {url} : l'adresse boucle ; vérifiez-la dans le catalogue.</source>
            <translation>Too many redirects (more than {count}) from {url}: the address loops; check it in the catalog.</translation>
        </message>
        <message>
            <source>{url} : nouvelle tentative dans {delay:.1f} s ({reason}).</source>
            <translation>{url}: retrying in {delay:.1f} s ({reason}).</translation>
        </message>
        <message>
            <source>Redirection refusée : seules les adresses http et https sont suivies ({url} → {target}) ; rien n'a été lu. Signalez-le au producteur de la donnée.</source>
            <translation>Redirect refused: only http and https addresses are followed ({url} → {target}); nothing was read. Report it to the data producer.</translation>
        </message>
        <message>
            <source>Redirection refusée vers une adresse non chiffrée ({url} → {target}) : les données pourraient être modifiées en chemin. Signalez-le au producteur ; une entrée de catalogue peut l'autoriser (« allow_http »).</source>
            <translation>Redirect to an unencrypted address refused ({url} → {target}): the data could be altered on the way. Report it to the producer; a catalog entry may allow it ("allow_http").</translation>
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
            <source>Le fichier reçu de {url} n'est pas entier ({reason}) : rien n'a été gardé ; relancez plus tard, et signalez-le au producteur si cela persiste.</source>
            <translation>The file received from {url} is not whole ({reason}): nothing was kept; run again later, and report it to the producer if it persists.</translation>
        </message>
        <message>
            <source>Le fichier reçu de {url} est refusé : {reason}.</source>
            <translation>The file received from {url} is refused: {reason}.</translation>
        </message>
        <message>
            <source>réponse vide</source>
            <translation>empty answer</translation>
        </message>
        <message>
            <source>décompressé, le fichier dépasse {limit} Mo ou {ratio} fois sa taille ({size} octets compressés, plus de {expanded} Mo décompressés) ; si la source est légitime, relevez les limites de décompression dans les options de l'extension</source>
            <translation>decompressed, the file exceeds {limit} MB or {ratio} times its size ({size} compressed bytes, more than {expanded} MB decompressed); if the source is legitimate, raise the decompression limits in the plugin's options</translation>
        </message>
        <message>
            <source>flux gzip tronqué, {size} octets reçus</source>
            <translation>truncated gzip stream, {size} bytes received</translation>
        </message>
        <message>
            <source>document JSON tronqué : il ne se termine pas par « {closing} »</source>
            <translation>truncated JSON document: it does not end with "{closing}"</translation>
        </message>
        <message>
            <source>archive zip incomplète ou corrompue ({error})</source>
            <translation>incomplete or corrupt zip archive ({error})</translation>
        </message>
        <message>
            <source>flux gzip corrompu ({error})</source>
            <translation>corrupt gzip stream ({error})</translation>
        </message>
        <message>
            <source>document JSON tronqué ou invalide ({error})</source>
            <translation>truncated or invalid JSON document ({error})</translation>
        </message>
        <message>
            <source>La description reçue de {url} ne décrit pas la couche {layer} : vérifiez son nom dans le catalogue.</source>
            <translation>The description received from {url} does not describe layer {layer}: check its name in the catalog.</translation>
        </message>
        <message>
            <source>La description de la couche {layer} reçue de {url} n'est pas un schéma XML lisible ({error}) : le service est peut-être en maintenance ; réessayez plus tard.</source>
            <translation>The description of layer {layer} received from {url} is not a readable XML schema ({error}): the service may be under maintenance; try again later.</translation>
        </message>
        <message>
            <source>Le service WFS a refusé la requête sur la couche {layer} : « {text} » ({details}). Adresse : {url}. Vérifiez le nom de la couche, le filtre et le champ de tri dans le catalogue.</source>
            <translation>The WFS refused the request for layer {layer}: “{text}” ({details}). Address: {url}. Check the layer name, the filter and the sort field in the catalog.</translation>
        </message>
        <message>
            <source>(Couche WFS {layer} : {url}.)</source>
            <translation>(WFS layer {layer}: {url}.)</translation>
        </message>
        <message>
            <source>paramètre {name}</source>
            <translation>parameter {name}</translation>
        </message>
        <message>
            <source>Les pages WFS de la couche {layer} se répètent (la page qui commence par l'objet {id} revient) : le service semble ignorer la pagination (STARTINDEX). Rien n'a été écrit ; réessayez plus tard ou signalez-le au producteur ({url}).</source>
            <translation>The WFS pages of layer {layer} repeat (the page starting with object {id} comes again): the service seems to ignore paging (STARTINDEX). Nothing was written; try again later or report it to the producer ({url}).</translation>
        </message>
        <message>
            <source>Les pages WFS de la couche {layer} se chevauchent (objet {id} reçu deux fois, {count} objets reçus dont {distinct} distincts) : sans champ de tri (SORTBY), l'ordre n'est pas stable. Précisez un champ unique dans le catalogue ; rien n'a été écrit ({url}).</source>
            <translation>The WFS pages of layer {layer} overlap (object {id} received twice, {count} objects received of which {distinct} distinct): without a sort field (SORTBY), the order is not stable. Give a unique field in the catalog; nothing was written ({url}).</translation>
        </message>
        <message>
            <source>Résultat WFS incomplet pour la couche {layer} : la page commençant à l'objet {start} contient {received} objet(s) au lieu de {expected} ({url}). Le serveur a tronqué sa réponse ; rien n'a été écrit. Relancez ; si cela persiste, réduisez la taille des pages ou l'emprise demandée.</source>
            <translation>Incomplete WFS result for layer {layer}: the page starting at feature {start} holds {received} feature(s) instead of {expected} ({url}). The server truncated its answer; nothing was written. Run it again; if it persists, reduce the page size or the requested extent.</translation>
        </message>
        <message>
            <source>Le miroir {mirror} n'a pas accepté la requête POST de la couche {layer} (HTTP {status}) : un filtre trop long pour une adresse est envoyé en POST au miroir ({url}), qui doit alors transmettre ces requêtes au service. Désactivez le miroir ou découpez par codes plutôt que par contour.</source>
            <translation>The mirror {mirror} did not accept the POST request for layer {layer} (HTTP {status}): a filter too long for an address is sent by POST to the mirror ({url}), which must then forward such requests to the service. Turn the mirror off or cut by codes rather than by contour.</translation>
        </message>
        <message>
            <source>La réponse WFS de la couche {layer} n'est pas une collection d'objets GeoJSON ({url}) : vérifiez le format de sortie demandé.</source>
            <translation>The WFS answer for layer {layer} is not a GeoJSON feature collection ({url}): check the requested output format.</translation>
        </message>
        <message>
            <source>Page WFS incohérente pour la couche {layer} : elle annonce {announced} objet(s) (numberReturned) mais en contient {received} ({url}). La réponse a été tronquée ; rien n'a été écrit, relancez.</source>
            <translation>Inconsistent WFS page for layer {layer}: it announces {announced} feature(s) (numberReturned) but holds {received} ({url}). The answer was truncated; nothing was written, run it again.</translation>
        </message>
        <message>
            <source>La page WFS de la couche {layer} n'est pas du GeoJSON lisible ({error}) : la réponse a sans doute été coupée ; rien n'a été écrit, relancez. Adresse : {url}.</source>
            <translation>The WFS page for layer {layer} is not readable GeoJSON ({error}): the answer was probably cut; nothing was written, run it again. Address: {url}.</translation>
        </message>
        <message>
            <source>Téléchargement WFS annulé : couche {layer} ({url}). Rien n'a été écrit.</source>
            <translation>WFS download canceled: layer {layer} ({url}). Nothing was written.</translation>
        </message>
        <message>
            <source>La couche {layer} n'a pas de géométrie d'après sa description : elle ne peut pas être filtrée par emprise ou par contour.</source>
            <translation>Layer {layer} has no geometry according to its description: it cannot be filtered by extent or by contour.</translation>
        </message>
        <message>
            <source>La couche {layer} n'indique pas son nombre total d'objets (numberMatched) : les pages sont lues l'une après l'autre jusqu'à une page vide, sans pouvoir vérifier que rien ne manque ({url}).</source>
            <translation>Layer {layer} does not give its total number of features (numberMatched): pages are read one after the other until an empty one, without being able to check that nothing is missing ({url}).</translation>
        </message>
        <message>
            <source>Réponse WFS incohérente pour la couche {layer} : {received} objet(s) reçu(s) pour {expected} annoncé(s) (numberMatched) ({url}) ; rien n'a été écrit, relancez.</source>
            <translation>Inconsistent WFS answer for layer {layer}: {received} feature(s) received for {expected} announced (numberMatched) ({url}); nothing was written, run it again.</translation>
        </message>
        <message>
            <source>Le service limite les pages de la couche {layer} à {count} objets : les pages suivantes sont demandées à cette taille.</source>
            <translation>The service limits the pages of layer {layer} to {count} features: the next pages are requested at that size.</translation>
        </message>
        <message>
            <source>Aucun champ de tri (SORTBY) pour la couche {layer} : sans ordre stable, les pages peuvent se chevaucher ; précisez un champ unique dans le catalogue.</source>
            <translation>No sort field (SORTBY) for layer {layer}: without a stable order, pages may overlap; set a unique field in the catalog.</translation>
        </message>
        <message>
            <source>Résultat WFS incomplet pour la couche {layer} : {received} objet(s) reçu(s) sur {expected} annoncé(s) par le serveur (numberMatched) pour {url}. Rien n'a été écrit ; relancez, et si cela persiste réduisez la taille des pages ou l'emprise demandée.</source>
            <translation>Incomplete WFS result for layer {layer}: {received} feature(s) received out of {expected} announced by the server (numberMatched) for {url}. Nothing was written; run it again, and if it persists reduce the page size or the requested extent.</translation>
        </message>
        <message>
            <source>Les données de la couche {layer} ont changé pendant le téléchargement ({first} objets annoncés au début, {now} ensuite, {url}) : les pages ne concordent plus ; rien n'a été écrit, relancez.</source>
            <translation>The data of layer {layer} changed during the download ({first} features announced at first, {now} later, {url}): the pages no longer match; nothing was written, run it again.</translation>
        </message>
        <message>
            <source>Emprise (BBOX) illisible « {bbox} » dans {url} : vérifiez le catalogue.</source>
            <translation>Unreadable extent (BBOX) “{bbox}” in {url}: check the catalog.</translation>
        </message>
        <message>
            <source>L'adresse {url} ne précise pas de couche (TYPENAMES) : vérifiez le catalogue.</source>
            <translation>The address {url} does not name a layer (TYPENAMES): check the catalog.</translation>
        </message>
        <message>
            <source>Nom de champ invalide « {field} » pour filtrer la couche {layer} : vérifiez le catalogue.</source>
            <translation>Invalid field name “{field}” to filter layer {layer}: check the catalog.</translation>
        </message>
        <message>
            <source>Aucune valeur pour filtrer la couche {layer} sur le champ « {field} ».</source>
            <translation>No value to filter layer {layer} on field “{field}”.</translation>
        </message>
        <message>
            <source>la fermeture de la fenêtre de publication</source>
            <translation>closing the publication window</translation>
        </message>
        <message>
            <source>la validation de la publication</source>
            <translation>checking the publication</translation>
        </message>
        <message>
            <source>Publier sur data.gouv.fr</source>
            <translation>Publish on data.gouv.fr</translation>
        </message>
        <message>
            <source>Le paquet devient un jeu de données de votre organisation : créé privé, ses fichiers envoyés (le GeoPackage et un fichier ouvert par couche), puis rendu public. Le publier de nouveau met à jour le même jeu ; rien n'est envoyé s'il n'a pas changé.</source>
            <translation>The package becomes a dataset of your organisation: created private, its files uploaded (the GeoPackage and one open file per layer), then made public. Publishing it again updates the same dataset; nothing is sent if it has not changed.</translation>
        </message>
        <message>
            <source>Paquets GeoPackage (*.gpkg)</source>
            <translation>GeoPackage packages (*.gpkg)</translation>
        </message>
        <message>
            <source>Publier tous les paquets de son dossier (un lot : un jeu par territoire)</source>
            <translation>Publish every package of its folder (a batch: one dataset per territory)</translation>
        </message>
        <message>
            <source>Chaque paquet du dossier produit par « Produire un paquet par territoire » devient un jeu de données, avec la couverture de son territoire.</source>
            <translation>Each package of the folder made by « Produire un paquet par territoire » becomes a dataset, with its territory's coverage.</translation>
        </message>
        <message>
            <source>Démonstration (demo.data.gouv.fr)</source>
            <translation>Demo (demo.data.gouv.fr)</translation>
        </message>
        <message>
            <source>Production (www.data.gouv.fr)</source>
            <translation>Production (www.data.gouv.fr)</translation>
        </message>
        <message>
            <source>nom court de l'organisation</source>
            <translation>short name of the organisation</translation>
        </message>
        <message>
            <source>Méthode « Basic », la clé d'API comme mot de passe : elle reste dans la base d'authentification de QGIS.</source>
            <translation>« Basic » method, the API key as password: it stays in QGIS's authentication database.</translation>
        </message>
        <message>
            <source>Plateforme</source>
            <translation>Platform</translation>
        </message>
        <message>
            <source>Organisation</source>
            <translation>Organisation</translation>
        </message>
        <message>
            <source>Clé d'API</source>
            <translation>API key</translation>
        </message>
        <message>
            <source>Essai à blanc : écrire les requêtes dans un dossier, sans rien envoyer</source>
            <translation>Dry run: write the requests to a folder, without sending anything</translation>
        </message>
        <message>
            <source>Dossier de l'essai</source>
            <translation>Dry run folder</translation>
        </message>
        <message>
            <source>Publier</source>
            <translation>Publish</translation>
        </message>
        <message>
            <source>Annuler</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>Indiquez l'organisation data.gouv.fr qui publie (son nom court, dans l'adresse de sa page).</source>
            <translation>Give the data.gouv.fr organisation that publishes (its short name, in the address of its page).</translation>
        </message>
        <message>
            <source>Paquet</source>
            <translation>Package</translation>
        </message>
        <message>
            <source>Choisissez le paquet GeoPackage à publier (ou un paquet du dossier d'un lot).</source>
            <translation>Choose the GeoPackage package to publish (or a package of a batch's folder).</translation>
        </message>
        <message>
            <source>Choisissez le dossier où écrire les requêtes de l'essai à blanc.</source>
            <translation>Choose the folder where the dry run's requests are written.</translation>
        </message>
        <message>
            <source>Choisissez la configuration d'authentification qui contient la clé d'API (ou créez-la avec le bouton « + »).</source>
            <translation>Choose the authentication configuration holding the API key (or create it with the « + » button).</translation>
        </message>
        <message>
            <source>les paquets de {folder}</source>
            <translation>the packages of {folder}</translation>
        </message>
        <message>
            <source>Le paquet {path} n'existe pas.</source>
            <translation>The package {path} does not exist.</translation>
        </message>
        <message>
            <source>PostGIS : {label} (exporté en GeoPackage pour l'envoi)</source>
            <translation>PostGIS: {label} (exported to a GeoPackage for the upload)</translation>
        </message>
        <message>
            <source>l'enregistrement des paramètres</source>
            <translation>saving the settings</translation>
        </message>
        <message>
            <source>l'ouverture de la page des paramètres</source>
            <translation>opening the settings page</translation>
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
            <source>Sources essayées dans cet ordre, séparées par des virgules : local (le fichier ci-dessus), wfs (ADMIN EXPRESS pleine précision), api_geo (simplifié).</source>
            <translation>Sources tried in this order, separated by commas: local (the file above), wfs (full-precision ADMIN EXPRESS), api_geo (simplified).</translation>
        </message>
        <message>
            <source>Catalogues de votre organisation ou les vôtres, un fichier ou une adresse https:// par ligne : leurs entrées complètent le catalogue intégré, ou remplacent une entrée de même identifiant.</source>
            <translation>Your organisation's catalogs or your own, one file or https:// address per line: their entries extend the built-in catalog, or replace an entry with the same id.</translation>
        </message>
        <message>
            <source>Dossier du cache des téléchargements ; vide = dans le profil QGIS.</source>
            <translation>Download cache folder; empty = inside the QGIS profile.</translation>
        </message>
        <message>
            <source>Durée totale au-delà de laquelle un téléchargement est abandonné, même s'il avance encore (un gros fichier a davantage : 1 s par 100 ko annoncés).</source>
            <translation>Total time after which a download is abandoned, even if it still progresses (a large file gets more: 1 s per 100 kB announced).</translation>
        </message>
        <message>
            <source>Taille maximale d'un fichier téléchargé une fois décompressé (gzip, zip) : au-delà, il est refusé sans être lu en entier.</source>
            <translation>Maximum size of a downloaded file once decompressed (gzip, zip): beyond it, the file is refused without being read whole.</translation>
        </message>
        <message>
            <source>Rapport maximal entre la taille décompressée et la taille compressée (au-delà de 64 Mo décompressés).</source>
            <translation>Maximum ratio between decompressed and compressed size (beyond 64 MB decompressed).</translation>
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
            <source>Publication sur data.gouv.fr</source>
            <translation>Publication on data.gouv.fr</translation>
        </message>
        <message>
            <source>Essayez d'abord sur la plateforme de démonstration : ses jeux ne sont pas vus du public. Chaque plateforme a ses propres clés d'API.</source>
            <translation>Try the demo platform first: its datasets are not seen by the public. Each platform has its own API keys.</translation>
        </message>
        <message>
            <source>L'identifiant ou le nom court de l'organisation qui publie (dans l'adresse de sa page : …/fr/organizations/&lt;nom court&gt;/) ; la clé d'API doit être celle d'un de ses membres.</source>
            <translation>The id or short name of the organisation that publishes (in the address of its page: …/fr/organizations/&lt;short name&gt;/); the API key must be one of its members'.</translation>
        </message>
        <message>
            <source>Une configuration d'authentification QGIS de méthode « Basic » dont le mot de passe est la clé d'API (profil data.gouv.fr › Clé d'API). La clé reste dans la base d'authentification de QGIS.</source>
            <translation>A QGIS authentication configuration of the « Basic » method whose password is the API key (data.gouv.fr profile › API key). The key stays in QGIS's authentication database.</translation>
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
            <source>Ordre des sources de contours</source>
            <translation>Boundary source order</translation>
        </message>
        <message>
            <source>Catalogues supplémentaires</source>
            <translation>Additional catalogs</translation>
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
            <source>Durée maximale d'un téléchargement</source>
            <translation>Maximum duration of a download</translation>
        </message>
        <message>
            <source>Taille décompressée maximale</source>
            <translation>Maximum decompressed size</translation>
        </message>
        <message>
            <source>Taux de décompression maximal</source>
            <translation>Maximum decompression ratio</translation>
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
            <source>la recherche d'un territoire</source>
            <translation>searching for a territory</translation>
        </message>
        <message>
            <source>le choix d'un territoire dans la barre de recherche</source>
            <translation>choosing a territory in the locator bar</translation>
        </message>
        <message>
            <source>{population} hab.</source>
            <translation>{population} inhabitants</translation>
        </message>
        <message>
            <source>le dessin d'un polygone sur la carte</source>
            <translation>drawing a polygon on the map</translation>
        </message>
        <message>
            <source>l'ajout du territoire choisi</source>
            <translation>adding the chosen territory</translation>
        </message>
        <message>
            <source>l'affichage d'un territoire mal écrit</source>
            <translation>showing a badly written territory</translation>
        </message>
        <message>
            <source>Chercher : nom, code INSEE, SIREN, code postal…</source>
            <translation>Search: name, INSEE code, SIREN, postcode…</translation>
        </message>
        <message>
            <source>Gardés tels quels, absents des catalogues chargés : {ids}</source>
            <translation>Kept as they are, not in the loaded catalogs: {ids}</translation>
        </message>
        <message>
            <source>le contour du territoire sur la carte</source>
            <translation>the territory's outline on the map</translation>
        </message>
        <message>
            <source>Contour de {references}</source>
            <translation>Outline of {references}</translation>
        </message>
        <message>
            <source>Contour de {references} non affiché : {error}</source>
            <translation>Outline of {references} not shown: {error}</translation>
        </message>
        <message>
            <source>le retrait de l'emprise personnalisée</source>
            <translation>removing the custom extent</translation>
        </message>
        <message>
            <source>l'utilisation de l'étendue de la carte</source>
            <translation>using the map extent</translation>
        </message>
        <message>
            <source>l'utilisation des entités sélectionnées</source>
            <translation>using the selected features</translation>
        </message>
        <message>
            <source>le suivi de la couche active</source>
            <translation>following the active layer</translation>
        </message>
        <message>
            <source>Étendue de la carte</source>
            <translation>Map extent</translation>
        </message>
        <message>
            <source>Utiliser l'étendue actuelle de la carte comme emprise</source>
            <translation>Use the current map extent as the area</translation>
        </message>
        <message>
            <source>Dessiner un polygone</source>
            <translation>Draw a polygon</translation>
        </message>
        <message>
            <source>Clic gauche : ajouter un sommet ; clic droit : terminer ; Retour arrière : effacer le dernier sommet ; Échap : annuler</source>
            <translation>Left click: add a vertex; right click: finish; Backspace: remove the last vertex; Esc: cancel</translation>
        </message>
        <message>
            <source>Entités sélectionnées de</source>
            <translation>Selected features of</translation>
        </message>
        <message>
            <source>Utiliser l'union des entités sélectionnées de la couche comme emprise</source>
            <translation>Use the union of the layer's selected features as the area</translation>
        </message>
        <message>
            <source>Aucune emprise personnalisée.</source>
            <translation>No custom area.</translation>
        </message>
        <message>
            <source>Retirer l'emprise personnalisée</source>
            <translation>Remove the custom area</translation>
        </message>
        <message>
            <source>étendue de la carte</source>
            <translation>map extent</translation>
        </message>
        <message>
            <source>entités sélectionnées</source>
            <translation>selected features</translation>
        </message>
        <message>
            <source>polygone dessiné</source>
            <translation>drawn polygon</translation>
        </message>
        <message>
            <source>emprise fournie</source>
            <translation>given area</translation>
        </message>
        <message>
            <source>SCR non défini</source>
            <translation>undefined CRS</translation>
        </message>
        <message>
            <source>La carte n'a pas encore d'étendue : ajoutez une couche ou zoomez d'abord.</source>
            <translation>The map has no extent yet: add a layer or zoom first.</translation>
        </message>
        <message>
            <source>Choisissez une couche vecteur, puis sélectionnez-y des entités.</source>
            <translation>Choose a vector layer, then select features in it.</translation>
        </message>
        <message>
            <source>Emprise personnalisée : {source} ({crs}).</source>
            <translation>Custom area: {source} ({crs}).</translation>
        </message>
        <message>
            <source>Emprise personnalisée : {source}, {area} km² ({crs}).</source>
            <translation>Custom area: {source}, {area} km² ({crs}).</translation>
        </message>
        <message>
            <source>Aucune entité sélectionnée dans la couche « {layer} » : sélectionnez-en au moins une.</source>
            <translation>No feature selected in layer “{layer}”: select at least one.</translation>
        </message>
        <message>
            <source>Les entités sélectionnées de « {layer} » n'ont pas pu être réunies : vérifiez leurs géométries.</source>
            <translation>The selected features of “{layer}” could not be merged: check their geometries.</translation>
        </message>
        <message>
            <source>en continu</source>
            <translation>continuous</translation>
        </message>
        <message>
            <source>quotidienne</source>
            <translation>daily</translation>
        </message>
        <message>
            <source>hebdomadaire</source>
            <translation>weekly</translation>
        </message>
        <message>
            <source>mensuelle</source>
            <translation>monthly</translation>
        </message>
        <message>
            <source>trimestrielle</source>
            <translation>quarterly</translation>
        </message>
        <message>
            <source>semestrielle</source>
            <translation>every six months</translation>
        </message>
        <message>
            <source>annuelle</source>
            <translation>yearly</translation>
        </message>
        <message>
            <source>irrégulière</source>
            <translation>irregular</translation>
        </message>
        <message>
            <source>la recherche d'un jeu de données</source>
            <translation>searching for a dataset</translation>
        </message>
        <message>
            <source>le choix d'un jeu de données</source>
            <translation>choosing a dataset</translation>
        </message>
        <message>
            <source>la description d'un jeu de données</source>
            <translation>describing a dataset</translation>
        </message>
        <message>
            <source>Chercher un jeu de données (cadastre, bâtiments, IGN…)</source>
            <translation>Search a dataset (cadastre, buildings, IGN…)</translation>
        </message>
        <message>
            <source>Choisissez un jeu de données pour voir sa description.</source>
            <translation>Choose a dataset to see its description.</translation>
        </message>
        <message>
            <source>Aucun jeu de données choisi.</source>
            <translation>No dataset chosen.</translation>
        </message>
        <message>
            <source>Producteur</source>
            <translation>Producer</translation>
        </message>
        <message>
            <source>Licence</source>
            <translation>Licence</translation>
        </message>
        <message>
            <source>Mise à jour</source>
            <translation>Updates</translation>
        </message>
        <message>
            <source>Page de référence</source>
            <translation>Reference page</translation>
        </message>
        <message>
            <source>Affichage seulement : ce fond de plan (WMTS) est ajouté au projet, il n'est ni téléchargé ni découpé.</source>
            <translation>Display only: this basemap (WMTS) is added to the project, it is neither downloaded nor cut.</translation>
        </message>
        <message>
            <source>Non vérifié : l'adresse de ce jeu de données vient de sa documentation et n'a pas encore été vérifiée en ligne.</source>
            <translation>Not verified: the address of this dataset comes from its documentation and has not been checked online yet.</translation>
        </message>
        <message>
            <source>1 jeu de données choisi.</source>
            <translation>1 dataset chosen.</translation>
        </message>
        <message>
            <source>Dernier téléchargement</source>
            <translation>Last download</translation>
        </message>
        <message>
            <source>Catalogue</source>
            <translation>Catalog</translation>
        </message>
        <message>
            <source>Catalogues supplémentaires illisibles : {error}</source>
            <translation>Additional catalogs unreadable: {error}</translation>
        </message>
        <message>
            <source>{count} jeux de données choisis.</source>
            <translation>{count} datasets chosen.</translation>
        </message>
        <message>
            <source>{title} (affichage)</source>
            <translation>{title} (display)</translation>
        </message>
        <message>
            <source>l'affichage du panneau</source>
            <translation>showing the panel</translation>
        </message>
        <message>
            <source>le lancement de la production</source>
            <translation>starting the production</translation>
        </message>
        <message>
            <source>le lancement de la mise à jour</source>
            <translation>starting the update</translation>
        </message>
        <message>
            <source>l'ouverture de la publication</source>
            <translation>opening the publication</translation>
        </message>
        <message>
            <source>le lancement de la publication</source>
            <translation>starting the publication</translation>
        </message>
        <message>
            <source>l'annulation</source>
            <translation>cancelling</translation>
        </message>
        <message>
            <source>le suivi de la progression</source>
            <translation>following the progress</translation>
        </message>
        <message>
            <source>la fin de la production</source>
            <translation>finishing the production</translation>
        </message>
        <message>
            <source>l'ouverture des paramètres</source>
            <translation>opening the settings</translation>
        </message>
        <message>
            <source>Chargement…</source>
            <translation>Loading…</translation>
        </message>
        <message>
            <source>Paramètres…</source>
            <translation>Settings…</translation>
        </message>
        <message>
            <source>Territoire</source>
            <translation>Territory</translation>
        </message>
        <message>
            <source>Jeux de données</source>
            <translation>Datasets</translation>
        </message>
        <message>
            <source>Sortie</source>
            <translation>Output</translation>
        </message>
        <message>
            <source>Produire</source>
            <translation>Produce</translation>
        </message>
        <message>
            <source>Télécharger, découper et charger les jeux cochés pour le territoire</source>
            <translation>Download, cut and load the checked datasets for the territory</translation>
        </message>
        <message>
            <source>Mettre à jour</source>
            <translation>Update</translation>
        </message>
        <message>
            <source>Mettre à jour le paquet de la couche active (panneau Couches) : sa recette est rejouée, seul ce qui a changé est téléchargé, et un rapport des changements est écrit à côté du paquet.</source>
            <translation>Update the package of the active layer (Layers panel): its recipe is run again, only what changed is downloaded, and a change report is written next to the package.</translation>
        </message>
        <message>
            <source>Publier…</source>
            <translation>Publish…</translation>
        </message>
        <message>
            <source>Publier sur data.gouv.fr le paquet de la couche active (ou le dernier produit), ou tous les paquets d'un lot : un jeu de données ouvert de votre organisation, mis à jour à chaque nouvelle publication.</source>
            <translation>Publish on data.gouv.fr the package of the active layer (or the last one produced), or every package of a batch: an open dataset of your organisation, updated at each new publication.</translation>
        </message>
        <message>
            <source>Couches temporaires produites : enregistrez-les pour les garder.</source>
            <translation>Temporary layers produced: save them to keep them.</translation>
        </message>
        <message>
            <source>Choisissez au moins un territoire (il dit aussi quelles données télécharger).</source>
            <translation>Choose at least one territory (it also tells which data to download).</translation>
        </message>
        <message>
            <source>Cochez au moins un jeu de données.</source>
            <translation>Check at least one dataset.</translation>
        </message>
        <message>
            <source>emprise</source>
            <translation>extent</translation>
        </message>
        <message>
            <source>Production en cours…</source>
            <translation>Production in progress…</translation>
        </message>
        <message>
            <source>Sélectionnez dans le panneau Couches une couche d'un paquet (GeoPackage) à mettre à jour.</source>
            <translation>Select in the Layers panel a layer of a package (GeoPackage) to update.</translation>
        </message>
        <message>
            <source>Annulation…</source>
            <translation>Cancelling…</translation>
        </message>
        <message>
            <source>erreur inconnue</source>
            <translation>unknown error</translation>
        </message>
        <message>
            <source>Paquet produit : {destination}</source>
            <translation>Package produced: {destination}</translation>
        </message>
        <message>
            <source>Paquet mis à jour : {added} ajoutée(s), {removed} supprimée(s), {modified} modifiée(s). Rapport : {report}</source>
            <translation>Package updated: {added} added, {removed} removed, {modified} modified. Report: {report}</translation>
        </message>
        <message>
            <source>Mise à jour de {path}…</source>
            <translation>Updating {path}…</translation>
        </message>
        <message>
            <source>Publication de {what}…</source>
            <translation>Publishing {what}…</translation>
        </message>
        <message>
            <source>Essai à blanc : rien n'a été envoyé ; les requêtes sont dans {path}.</source>
            <translation>Dry run: nothing was sent; the requests are in {path}.</translation>
        </message>
        <message>
            <source>Annulé : rien n'a été écrit, le paquet précédent est intact.</source>
            <translation>Cancelled: nothing was written, the previous package is untouched.</translation>
        </message>
        <message>
            <source>Déjà à jour : rien n'a changé ({destination}).</source>
            <translation>Already up to date: nothing changed ({destination}).</translation>
        </message>
        <message>
            <source>{summary} — {count} jeu(x) de données en échec (voir le panneau et le journal).</source>
            <translation>{summary} — {count} dataset(s) failed (see the panel and the log).</translation>
        </message>
        <message>
            <source>{count} paquet(s) publié(s) sur data.gouv.fr ; catalogue de l'organisation : {catalog}</source>
            <translation>{count} package(s) published on data.gouv.fr; organisation's catalog: {catalog}</translation>
        </message>
        <message>
            <source>Échec : {message}</source>
            <translation>Failed: {message}</translation>
        </message>
        <message>
            <source>Déjà publié tel quel : rien n'a été envoyé ({page}).</source>
            <translation>Already published as is: nothing was sent ({page}).</translation>
        </message>
        <message>
            <source>Publié sur data.gouv.fr : {page}</source>
            <translation>Published on data.gouv.fr: {page}</translation>
        </message>
        <message>
            <source>Publication annulée : {message}</source>
            <translation>Publication canceled: {message}</translation>
        </message>
        <message>
            <source>Le paquet {destination} est prêt, mais son chargement dans le projet a échoué : ouvrez-le à la main (menu Couche › Ajouter une couche, ou panneau Explorateur). Le détail est dans le journal des messages, onglet « Données et territoires ».</source>
            <translation>The package {destination} is ready, but loading it into the project failed: open it by hand (Layer › Add Layer menu, or the Browser panel). The details are in the Log Messages panel, « Données et territoires » tab.</translation>
        </message>
        <message>
            <source>la disposition des territoires choisis</source>
            <translation>laying out the chosen territories</translation>
        </message>
        <message>
            <source>le choix de la sortie</source>
            <translation>choosing the output</translation>
        </message>
        <message>
            <source>le choix de la connexion PostgreSQL</source>
            <translation>choosing the PostgreSQL connection</translation>
        </message>
        <message>
            <source>Couches temporaires</source>
            <translation>Temporary layers</translation>
        </message>
        <message>
            <source>Les couches restent en mémoire : elles disparaissent à la fermeture du projet si elles ne sont pas enregistrées.</source>
            <translation>The layers stay in memory: they are lost when the project is closed unless they are saved.</translation>
        </message>
        <message>
            <source>GeoPackage</source>
            <translation>GeoPackage</translation>
        </message>
        <message>
            <source>Un fichier autodocumenté (styles, métadonnées, recette) que l'on peut mettre à jour plus tard</source>
            <translation>A self-documented file (styles, metadata, recipe) that can be refreshed later</translation>
        </message>
        <message>
            <source>PostGIS</source>
            <translation>PostGIS</translation>
        </message>
        <message>
            <source>Un schéma d'une base PostgreSQL/PostGIS, par une connexion enregistrée dans QGIS</source>
            <translation>A schema of a PostgreSQL/PostGIS database, through a connection saved in QGIS</translation>
        </message>
        <message>
            <source>GeoPackage (*.gpkg)</source>
            <translation>GeoPackage (*.gpkg)</translation>
        </message>
        <message>
            <source>GeoPackage de destination</source>
            <translation>Destination GeoPackage</translation>
        </message>
        <message>
            <source>Fichier .gpkg à créer ou à mettre à jour</source>
            <translation>.gpkg file to create or update</translation>
        </message>
        <message>
            <source>Connexions PostgreSQL enregistrées dans QGIS (Explorateur &gt; PostgreSQL &gt; Nouvelle connexion)</source>
            <translation>PostgreSQL connections saved in QGIS (Browser &gt; PostgreSQL &gt; New Connection)</translation>
        </message>
        <message>
            <source>Schéma PostgreSQL où écrire les tables</source>
            <translation>PostgreSQL schema to write the tables into</translation>
        </message>
        <message>
            <source>Connexion</source>
            <translation>Connection</translation>
        </message>
        <message>
            <source>Schéma</source>
            <translation>Schema</translation>
        </message>
        <message>
            <source>Aucune connexion PostgreSQL enregistrée dans QGIS.</source>
            <translation>No PostgreSQL connection saved in QGIS.</translation>
        </message>
        <message>
            <source>Projection légale du territoire</source>
            <translation>Legal projection of the territory</translation>
        </message>
        <message>
            <source>Vide : la projection légale du territoire (Lambert-93 en métropole, UTM en outre-mer)</source>
            <translation>Empty: the legal projection of the territory (Lambert-93 in metropolitan France, UTM overseas)</translation>
        </message>
        <message>
            <source>Projection</source>
            <translation>Projection</translation>
        </message>
        <message>
            <source>Charger le résultat dans le projet</source>
            <translation>Load the result into the project</translation>
        </message>
        <message>
            <source>Les couches temporaires sont toujours chargées dans le projet.</source>
            <translation>Temporary layers are always loaded into the project.</translation>
        </message>
        <message>
            <source>l'ouverture du journal des messages</source>
            <translation>opening the message log</translation>
        </message>
        <message>
            <source>Ouvrir le journal des messages, onglet « Données et territoires »</source>
            <translation>Open the message log, « Données et territoires » tab</translation>
        </message>
        <message>
            <source>Détails</source>
            <translation>Details</translation>
        </message>
        <message>
            <source>Message complet du panneau : {text}</source>
            <translation>Full message of the panel: {text}</translation>
        </message>
        <message>
            <source>le retrait du territoire</source>
            <translation>removing the territory</translation>
        </message>
        <message>
            <source>Retirer {label}</source>
            <translation>Remove {label}</translation>
        </message>
        <message>
            <source>l'effacement du message</source>
            <translation>clearing the message</translation>
        </message>
        <message>
            <source>le changement de millésime</source>
            <translation>changing the vintage</translation>
        </message>
        <message>
            <source>l'affichage d'un message</source>
            <translation>showing a message</translation>
        </message>
        <message>
            <source>Aucun territoire choisi.</source>
            <translation>No territory chosen.</translation>
        </message>
        <message>
            <source>Élargit le territoire (ou l'emprise) de cette distance, en mètres</source>
            <translation>Widens the territory (or the area) by this distance, in metres</translation>
        </message>
        <message>
            <source>Choisissez au moins un territoire, ou une emprise personnalisée.</source>
            <translation>Choose at least one territory, or a custom area.</translation>
        </message>
        <message>
            <source>L'emprise personnalisée n'est pas un polygone (points ou lignes) : indiquez une zone tampon.</source>
            <translation>The custom area is not a polygon (points or lines): set a buffer.</translation>
        </message>
        <message>
            <source>Zone tampon</source>
            <translation>Buffer</translation>
        </message>
        <message>
            <source>l'ajout du territoire saisi</source>
            <translation>adding the typed territory</translation>
        </message>
        <message>
            <source>l'affichage des territoires récents</source>
            <translation>showing the recent territories</translation>
        </message>
        <message>
            <source>l'effacement des territoires récents</source>
            <translation>clearing the recent territories</translation>
        </message>
        <message>
            <source>Tous</source>
            <translation>All</translation>
        </message>
        <message>
            <source>Commune</source>
            <translation>Commune</translation>
        </message>
        <message>
            <source>EPCI</source>
            <translation>EPCI</translation>
        </message>
        <message>
            <source>EPT</source>
            <translation>EPT</translation>
        </message>
        <message>
            <source>Département</source>
            <translation>Département</translation>
        </message>
        <message>
            <source>Région</source>
            <translation>Region</translation>
        </message>
        <message>
            <source>Nom ou code : commune, EPCI, département…</source>
            <translation>Name or code: commune, EPCI, département…</translation>
        </message>
        <message>
            <source>Tapez un nom, un code INSEE, un code postal ou un SIREN, puis Entrée pour ajouter le premier résultat. Plusieurs références séparées par des virgules sont acceptées (commune:33063,epci:243300316).</source>
            <translation>Type a name, an INSEE code, a postal code or a SIREN, then Enter to add the first result. Several references separated by commas are accepted (commune:33063,epci:243300316).</translation>
        </message>
        <message>
            <source>Récents</source>
            <translation>Recent</translation>
        </message>
        <message>
            <source>Territoires choisis récemment</source>
            <translation>Recently chosen territories</translation>
        </message>
        <message>
            <source>Types de territoires proposés par la recherche</source>
            <translation>Kinds of territories offered by the search</translation>
        </message>
        <message>
            <source>Millésime du Code officiel géographique (COG)</source>
            <translation>Vintage of the Code officiel géographique (COG)</translation>
        </message>
        <message>
            <source>Oublier les territoires récents</source>
            <translation>Forget recent territories</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Kind</translation>
        </message>
        <message>
            <source>Aucun territoire récent</source>
            <translation>No recent territory</translation>
        </message>
        <message>
            <source>COG {year}</source>
            <translation>COG {year}</translation>
        </message>
        <message>
            <source>l'ajout d'un territoire récent</source>
            <translation>adding a recent territory</translation>
        </message>
        <message>
            <source>le défilement à la molette</source>
            <translation>scrolling with the mouse wheel</translation>
        </message>
        <message>
            <source>l'ajout d'un fond de plan</source>
            <translation>adding a base map</translation>
        </message>
        <message>
            <source>Fond de plan « {title} »</source>
            <translation>Base map « {title} »</translation>
        </message>
        <message>
            <source>Fond de plan « {title} » illisible ({uri}).</source>
            <translation>Base map « {title} » unreadable ({uri}).</translation>
        </message>
        <message>
            <source>Fond de plan « {title} » non ajouté : {error}</source>
            <translation>Base map « {title} » not added: {error}</translation>
        </message>
        <message>
            <source>le rangement d'une couche dans le groupe du territoire</source>
            <translation>placing a layer in the territory's group</translation>
        </message>
        <message>
            <source>Couche {uri} illisible après écriture.</source>
            <translation>Layer {uri} unreadable after writing.</translation>
        </message>
        <message>
            <source>Couche de résultat introuvable : {layer}</source>
            <translation>Result layer not found: {layer}</translation>
        </message>
        <message>
            <source>Couche de résultat refusée par le projet : {layer}</source>
            <translation>Result layer refused by the project: {layer}</translation>
        </message>
        <message>
            <source>le cadrage de la carte sur le territoire</source>
            <translation>framing the map on the territory</translation>
        </message>
        <message>
            <source>Cadrage sur {reference}</source>
            <translation>Framing {reference}</translation>
        </message>
        <message>
            <source>Cadrage impossible : l'emprise ne se reprojette pas dans la projection de la carte ({error}).</source>
            <translation>Cannot frame the map: the extent does not reproject into the map's projection ({error}).</translation>
        </message>
        <message>
            <source>Impossible de cadrer la carte sur {reference} : {error}</source>
            <translation>Cannot frame the map on {reference}: {error}</translation>
        </message>
        <message>
            <source>Indiquez un dossier pour les paquets, ou une connexion PostGIS.</source>
            <translation>Give a folder for the packages, or a PostGIS connection.</translation>
        </message>
        <message>
            <source>{count} paquets à produire dans {destination}.</source>
            <translation>{count} packages to produce in {destination}.</translation>
        </message>
        <message>
            <source>Rapport par territoire : {path}</source>
            <translation>Report per territory: {path}</translation>
        </message>
        <message>
            <source>Niveau inconnu : {level} (commune ou epci).</source>
            <translation>Unknown level: {level} (commune or epci).</translation>
        </message>
        <message>
            <source>Aucun territoire de niveau « {level} » dans {parent}.</source>
            <translation>No territory of level « {level} » in {parent}.</translation>
        </message>
        <message>
            <source>Organisation PostGIS inconnue : {layout} (schemas ou tables).</source>
            <translation>Unknown PostGIS layout: {layout} (schemas or tables).</translation>
        </message>
        <message>
            <source>Recette de lot inconnue ({layout}) : relancez « Produire un paquet par territoire ».</source>
            <translation>Unknown batch recipe ({layout}): run “Produce one package per territory” again.</translation>
        </message>
        <message>
            <source>{count} territoire(s) en échec, les tables n'ont pas été remplacées : {errors}</source>
            <translation>{count} territory(ies) failed, the tables were not replaced: {errors}</translation>
        </message>
        <message>
            <source>{name} ({code}) : {error}</source>
            <translation>{name} ({code}): {error}</translation>
        </message>
        <message>
            <source>écrit</source>
            <translation>written</translation>
        </message>
        <message>
            <source>à jour</source>
            <translation>up to date</translation>
        </message>
        <message>
            <source>échec</source>
            <translation>failed</translation>
        </message>
        <message>
            <source>obsolète</source>
            <translation>obsolete</translation>
        </message>
        <message>
            <source>échec partiel</source>
            <translation>partial failure</translation>
        </message>
        <message>
            <source>Paquets par territoire</source>
            <translation>Packages per territory</translation>
        </message>
        <message>
            <source>nouveau</source>
            <translation>new</translation>
        </message>
        <message>
            <source>changements</source>
            <translation>changes</translation>
        </message>
        <message>
            <source>avertissements</source>
            <translation>warnings</translation>
        </message>
        <message>
            <source>{written} écrit(s), {unchanged} à jour, {failed} en échec.</source>
            <translation>{written} written, {unchanged} up to date, {failed} failed.</translation>
        </message>
        <message>
            <source>{reference} n'existe plus dans le COG {vintage}.</source>
            <translation>{reference} no longer exists in COG {vintage}.</translation>
        </message>
        <message>
            <source>code</source>
            <translation>code</translation>
        </message>
        <message>
            <source>nom</source>
            <translation>name</translation>
        </message>
        <message>
            <source>paquet</source>
            <translation>package</translation>
        </message>
        <message>
            <source>statut</source>
            <translation>status</translation>
        </message>
        <message>
            <source>Paquets par territoire : {parent}</source>
            <translation>Packages per territory: {parent}</translation>
        </message>
        <message>
            <source>{count} en échec partiel : un ou plusieurs jeux de données en échec, leur table précédente gardée (ou absente).</source>
            <translation>{count} partial failure(s): one or more datasets failed, their previous table kept (or absent).</translation>
        </message>
        <message>
            <source>{count} paquet(s) obsolète(s) : territoire absent du COG.</source>
            <translation>{count} obsolete package(s): territory missing from the COG.</translation>
        </message>
        <message>
            <source>{name} ({code}) fait partie de {new} ({new_code}) dans le COG {vintage} : son paquet est désormais celui de {new}.</source>
            <translation>{name} ({code}) is part of {new} ({new_code}) in COG {vintage}: its package is now that of {new}.</translation>
        </message>
        <message>
            <source>entités {dataset}</source>
            <translation>features {dataset}</translation>
        </message>
        <message>
            <source>Ce paquet n'est plus produit : archivez-le ou supprimez-le.</source>
            <translation>This package is no longer produced: archive or delete it.</translation>
        </message>
        <message>
            <source>Tables écrites : {destination} ({count} territoires).</source>
            <translation>Tables written: {destination} ({count} territories).</translation>
        </message>
        <message>
            <source>Sources inchangées : les tables de {schema} sont à jour.</source>
            <translation>Sources unchanged: the tables of {schema} are up to date.</translation>
        </message>
        <message>
            <source>{reference} n'est plus un territoire du lot (COG {vintage}) : ses lignes ont été retirées des tables.</source>
            <translation>{reference} is no longer a territory of the batch (COG {vintage}): its rows were removed from the tables.</translation>
        </message>
        <message>
            <source>non écrit : les tables réunissent tous les territoires et {count} sont en échec ({names}) ; le contenu précédent de {schema} est inchangé. Corrigez, puis relancez.</source>
            <translation>not written: the tables gather every territory and {count} failed ({names}); the previous content of {schema} is unchanged. Fix it, then run again.</translation>
        </message>
        <message>
            <source>« {dataset} » : aucune donnée découpée.</source>
            <translation>« {dataset} »: no data cut.</translation>
        </message>
        <message>
            <source>Les territoires de {parent} relèvent de plusieurs projections légales ({crs}) : choisissez une projection (paramètre CRS) pour réunir « {dataset} » dans une table.</source>
            <translation>The territories of {parent} fall under several legal projections ({crs}): choose one (CRS parameter) to gather “{dataset}” in one table.</translation>
        </message>
        <message>
            <source>la recherche du fichier d'annulation du lot</source>
            <translation>looking for the batch's cancel file</translation>
        </message>
        <message>
            <source>Erreur inattendue : {error}</source>
            <translation>Unexpected error: {error}</translation>
        </message>
        <message>
            <source>Choisissez le fichier GeoPackage où écrire les données.</source>
            <translation>Choose the GeoPackage file to write the data into.</translation>
        </message>
        <message>
            <source>couches temporaires</source>
            <translation>temporary layers</translation>
        </message>
        <message>
            <source>Choisissez la connexion PostgreSQL où écrire les données.</source>
            <translation>Choose the PostgreSQL connection to write the data into.</translation>
        </message>
        <message>
            <source>Aucune connexion PostgreSQL n'est enregistrée dans QGIS : créez-en une dans l'Explorateur (PostgreSQL &gt; Nouvelle connexion), ou choisissez un GeoPackage.</source>
            <translation>No PostgreSQL connection is saved in QGIS: create one in the Browser (PostgreSQL &gt; New Connection), or choose a GeoPackage.</translation>
        </message>
        <message>
            <source>« {name} » n'est pas un GeoPackage : choisissez un fichier .gpkg.</source>
            <translation>“{name}” is not a GeoPackage: choose a .gpkg file.</translation>
        </message>
        <message>
            <source>Le dossier « {folder} » n'existe pas : choisissez un autre emplacement pour le GeoPackage.</source>
            <translation>Folder “{folder}” does not exist: choose another location for the GeoPackage.</translation>
        </message>
        <message>
            <source>« {path} » est un dossier : choisissez un fichier .gpkg.</source>
            <translation>“{path}” is a folder: choose a .gpkg file.</translation>
        </message>
        <message>
            <source>Indiquez le schéma PostgreSQL où écrire les données (par exemple {schema}).</source>
            <translation>Enter the PostgreSQL schema to write the data into (for example {schema}).</translation>
        </message>
        <message>
            <source>« {schema} » ne peut pas servir de nom de schéma PostgreSQL : 63 octets au plus, sans guillemet.</source>
            <translation>“{schema}” cannot be used as a PostgreSQL schema name: 63 bytes at most, without double quotes.</translation>
        </message>
        <message>
            <source>Contenu du paquet</source>
            <translation>Package contents</translation>
        </message>
        <message>
            <source>Une ligne par table : jeu de données, sources et dates de téléchargement, nombre d'entités, emprise, empreinte, avertissements.</source>
            <translation>One row per table: dataset, download sources and dates, feature count, extent, checksum, warnings.</translation>
        </message>
        <message>
            <source>Écriture du manifeste…</source>
            <translation>Writing the manifest…</translation>
        </message>
        <message>
            <source>Manifeste du paquet</source>
            <translation>Package manifest</translation>
        </message>
        <message>
            <source>Une ligne par clé : version de l'extension, recette (JSON), territoire, millésime du COG, date d'écriture.</source>
            <translation>One row per key: plugin version, recipe (JSON), territory, COG vintage, date written.</translation>
        </message>
        <message>
            <source>Style de « {title} » ({plugin})</source>
            <translation>Style of “{title}” ({plugin})</translation>
        </message>
        <message>
            <source>Paquet écrit : {path} ({count} tables).</source>
            <translation>Package written: {path} ({count} tables).</translation>
        </message>
        <message>
            <source>(suite dans le journal)</source>
            <translation>(more in the log)</translation>
        </message>
        <message>
            <source>Le paquet précédent est inchangé.</source>
            <translation>The previous package is unchanged.</translation>
        </message>
        <message>
            <source>{count} fichier(s) temporaire(s) d'une écriture interrompue de {path} supprimé(s).</source>
            <translation>{count} temporary file(s) of an interrupted write of {path} removed.</translation>
        </message>
        <message>
            <source>{path} existe déjà et n'est pas un paquet {plugin} (il n'a pas de manifeste) : il n'est pas remplacé. Choisissez un autre nom de fichier, ou supprimez-le vous-même si vous voulez le remplacer.</source>
            <translation>{path} already exists and is not a {plugin} package (it has no manifest): it is not replaced. Choose another file name, or delete it yourself if you want to replace it.</translation>
        </message>
        <message>
            <source>Impossible d'ouvrir {path} pour y noter les changements.</source>
            <translation>Cannot open {path} to record the changes in it.</translation>
        </message>
        <message>
            <source>Le paquet doit être un fichier .gpkg : {path}</source>
            <translation>The package must be a .gpkg file: {path}</translation>
        </message>
        <message>
            <source>Impossible d'écrire le paquet {path} : le dossier {folder} n'existe pas. Créez-le ou choisissez un autre emplacement.</source>
            <translation>Cannot write the package {path}: the folder {folder} does not exist. Create it or choose another location.</translation>
        </message>
        <message>
            <source>Impossible d'écrire le paquet {path} : c'est un dossier.</source>
            <translation>Cannot write the package {path}: it is a folder.</translation>
        </message>
        <message>
            <source>Écriture du paquet {destination} annulée : le contenu précédent est inchangé.</source>
            <translation>Writing the package {destination} cancelled: the previous content is unchanged.</translation>
        </message>
        <message>
            <source>Les métadonnées de la table « {table} » n'ont pas pu être enregistrées dans {path} ({error}) ; elles restent dans le manifeste.</source>
            <translation>The metadata of the table “{table}” could not be saved in {path} ({error}); they remain in the manifest.</translation>
        </message>
        <message>
            <source>Le paquet {path} n'a pas pu être finalisé : une connexion au fichier temporaire est restée ouverte. Relancez l'écriture.</source>
            <translation>The package {path} could not be finalised: a connection to the temporary file was left open. Run the write again.</translation>
        </message>
        <message>
            <source>Échec de l'écriture du paquet {path} : {error}. Le paquet précédent est inchangé.</source>
            <translation>Writing the package {path} failed: {error}. The previous package is unchanged.</translation>
        </message>
        <message>
            <source>Le paquet {path} ne peut pas être lu : {error}</source>
            <translation>The package {path} cannot be read: {error}</translation>
        </message>
        <message>
            <source>{path} n'est pas un paquet {plugin} : il n'a pas de tables « {manifest} » et « {layers} » ({error}).</source>
            <translation>{path} is not a {plugin} package: it has no “{manifest}” and “{layers}” tables ({error}).</translation>
        </message>
        <message>
            <source>Impossible d'écrire le paquet {path} : le dossier {folder} n'accepte pas de nouveau fichier ({error}). Choisissez un dossier où vous avez le droit d'écrire.</source>
            <translation>Cannot write the package {path}: the folder {folder} does not accept a new file ({error}). Choose a folder you are allowed to write to.</translation>
        </message>
        <message>
            <source>Écriture de la table {table}…</source>
            <translation>Writing the table {table}…</translation>
        </message>
        <message>
            <source>Vérification, style et métadonnées de la table {table}…</source>
            <translation>Checking, style and metadata of the table {table}…</translation>
        </message>
        <message>
            <source>Écriture de la table « {table} » dans {path} : {detail}</source>
            <translation>Writing table "{table}" into {path}: {detail}</translation>
        </message>
        <message>
            <source>Impossible de remplacer {path} ({error}) : le fichier est peut-être ouvert dans une autre application. Fermez les couches qui l'utilisent puis relancez ; le paquet précédent est inchangé.</source>
            <translation>Cannot replace {path} ({error}): the file may be open in another application. Close the layers using it and run again; the previous package is unchanged.</translation>
        </message>
        <message>
            <source>Fichier temporaire {path} d'une écriture interrompue non supprimé : {error}</source>
            <translation>Temporary file {path} of an interrupted write not removed: {error}</translation>
        </message>
        <message>
            <source>Fichier temporaire {path} non supprimé : {error}</source>
            <translation>Temporary file {path} not removed: {error}</translation>
        </message>
        <message>
            <source>Le style de la table « {table} » n'a pas pu être enregistré dans {path}.</source>
            <translation>The style of the table “{table}” could not be saved in {path}.</translation>
        </message>
        <message>
            <source>La table « {table} » n'a pas pu être écrite dans {path} : {error}.</source>
            <translation>The table “{table}” could not be written to {path}: {error}.</translation>
        </message>
        <message>
            <source>Production par lot.</source>
            <translation>Batch production.</translation>
        </message>
        <message>
            <source>« {title} » : la couche du paquet précédent est gardée telle quelle (données du {date}), ce jeu de données ayant échoué.</source>
            <translation>“{title}”: the previous package's layer is kept as it was (data of {date}), as this dataset failed.</translation>
        </message>
        <message>
            <source>la source a perdu {lost} des {before} entités du paquet précédent (plus de {pct} %) : sa table précédente est conservée. Si la baisse est réelle, relancez en admettant une perte plus grande (paramètre MAX_LOSS).</source>
            <translation>the source lost {lost} of the {before} features of the previous package (more than {pct} %): its previous table is kept. If the drop is real, run again admitting a larger loss (MAX_LOSS parameter).</translation>
        </message>
        <message>
            <source>Production annulée : le paquet de {name} n'a pas été écrit.</source>
            <translation>Production cancelled: the package of {name} was not written.</translation>
        </message>
        <message>
            <source>Changements non calculés : {error}</source>
            <translation>Changes not computed: {error}</translation>
        </message>
        <message>
            <source>Découpé sur {territory} ({reference}), COG {vintage}, par l'extension QGIS {plugin} {version} le {date}.</source>
            <translation>Cut to {territory} ({reference}), COG {vintage}, by the QGIS plugin {plugin} {version} on {date}.</translation>
        </message>
        <message>
            <source>Mots-clés</source>
            <translation>Keywords</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>Source</translation>
        </message>
        <message>
            <source>Adresse de téléchargement des données</source>
            <translation>Download address of the data</translation>
        </message>
        <message>
            <source>Page du jeu de données</source>
            <translation>Dataset page</translation>
        </message>
        <message>
            <source>{date} : écrit dans le paquet par {plugin} {version}</source>
            <translation>{date}: written to the package by {plugin} {version}</translation>
        </message>
        <message>
            <source>{date} : téléchargé depuis {url}</source>
            <translation>{date}: downloaded from {url}</translation>
        </message>
        <message>
            <source>Données © {producer}</source>
            <translation>Data © {producer}</translation>
        </message>
        <message>
            <source>Le jeu « {dataset} » ne peut pas s'appeler « {table} » dans un paquet : ce nom est réservé. Donnez-lui un autre nom de table.</source>
            <translation>The dataset “{dataset}” cannot be called “{table}” in a package: this name is reserved. Give it another table name.</translation>
        </message>
        <message>
            <source>Deux jeux de données donneraient la même table « {table} » dans le paquet : donnez-leur des noms différents.</source>
            <translation>Two datasets would make the same table “{table}” in the package: give them different names.</translation>
        </message>
        <message>
            <source>La couche du jeu « {dataset} » n'est pas une couche vecteur valide : rien n'a été écrit.</source>
            <translation>The layer of dataset “{dataset}” is not a valid vector layer: nothing was written.</translation>
        </message>
        <message>
            <source>Le fournisseur PostgreSQL de QGIS n'est pas installé : installez le paquet qgis-providers (ou l'équivalent de votre installation).</source>
            <translation>QGIS's PostgreSQL provider is not installed: install the qgis-providers package (or its equivalent for your installation).</translation>
        </message>
        <message>
            <source>Vérifiez que vous avez le droit de modifier ce schéma, puis relancez.</source>
            <translation>Check that you are allowed to modify this schema, then run again.</translation>
        </message>
        <message>
            <source>Paquet écrit : {destination} ({count} tables).</source>
            <translation>Package written: {destination} ({count} tables).</translation>
        </message>
        <message>
            <source>Connexion PostgreSQL « {name} » introuvable. Connexions enregistrées dans QGIS : {names}. Indiquez l'une d'elles, ou une chaîne de connexion (service=… ou host=… dbname=… user=…).</source>
            <translation>PostgreSQL connection “{name}” not found. Connections saved in QGIS: {names}. Give one of them, or a connection string (service=… or host=… dbname=… user=…).</translation>
        </message>
        <message>
            <source>Le contenu précédent du schéma est inchangé.</source>
            <translation>The previous content of the schema is unchanged.</translation>
        </message>
        <message>
            <source>Une vue ou une table dépend d'une table du paquet et empêche de la remplacer : supprimez-la, relancez, puis recréez-la.</source>
            <translation>A view or a table depends on a table of the package and prevents replacing it: drop it, run again, then create it again.</translation>
        </message>
        <message>
            <source>La table des métadonnées de QGIS (qgis_layer_metadata) n'a pas pu être créée dans « public » ({error}) : QGIS la crée dans le schéma « {schema} » du paquet.</source>
            <translation>QGIS's metadata table (qgis_layer_metadata) could not be created in "public" ({error}): QGIS creates it in the package's schema "{schema}".</translation>
        </message>
        <message>
            <source>L'extension PostGIS n'est pas installée dans la base de {connection} : demandez à son administrateur d'exécuter « CREATE EXTENSION postgis; ».</source>
            <translation>The PostGIS extension is not installed in the database of {connection}: ask its administrator to run “CREATE EXTENSION postgis;”.</translation>
        </message>
        <message>
            <source>Le schéma « {schema} » de {connection} ne contient pas de paquet {plugin} : il n'a pas de tables « {manifest} » et « {layers} ».</source>
            <translation>The schema “{schema}” of {connection} holds no {plugin} package: it has no “{manifest}” and “{layers}” tables.</translation>
        </message>
        <message>
            <source>Nom de schéma « {schema} » refusé : utilisez des minuscules sans accent, des chiffres et « _ » ({max} caractères au plus), sans commencer par « pg_ ».</source>
            <translation>Schema name “{schema}” refused: use lower-case letters without accents, digits and “_” ({max} characters at most), not starting with “pg_”.</translation>
        </message>
        <message>
            <source>Le schéma « {schema} » ({destination}) n'est pas un paquet {plugin} (il n'a pas de manifeste) et contient déjà {tables} : rien n'est remplacé. Choisissez un autre schéma, ou renommez ces tables.</source>
            <translation>The schema "{schema}" ({destination}) is not a {plugin} package (it has no manifest) and already holds {tables}: nothing is replaced. Choose another schema, or rename these tables.</translation>
        </message>
        <message>
            <source>Les métadonnées de la table « {table} » n'ont pas pu être enregistrées ({error}) ; elles restent dans le manifeste.</source>
            <translation>The metadata of the table “{table}” could not be saved ({error}); they remain in the manifest.</translation>
        </message>
        <message>
            <source>Impossible de créer le schéma de travail « {staging} » dans {connection} ({error}) : l'utilisateur doit avoir le droit CREATE sur la base. Rien n'a été modifié.</source>
            <translation>Cannot create the working schema “{staging}” in {connection} ({error}): the user needs the CREATE privilege on the database. Nothing was changed.</translation>
        </message>
        <message>
            <source>Remplacement du contenu du schéma {schema}…</source>
            <translation>Replacing the content of the schema {schema}…</translation>
        </message>
        <message>
            <source>Échec de l'écriture du paquet dans {destination} : {error}. Le contenu précédent du schéma est inchangé.</source>
            <translation>Writing the package to {destination} failed: {error}. The previous content of the schema is unchanged.</translation>
        </message>
        <message>
            <source>Le contenu du schéma « {schema} » ({destination}) n'a pas pu être remplacé : {error}. {advice} Le contenu précédent du schéma est inchangé.</source>
            <translation>The content of the schema “{schema}” ({destination}) could not be replaced: {error}. {advice} The previous content of the schema is unchanged.</translation>
        </message>
        <message>
            <source>Le schéma temporaire {schema} n'a pas pu être supprimé : {error}</source>
            <translation>The temporary schema {schema} could not be dropped: {error}</translation>
        </message>
        <message>
            <source>Connexion à PostgreSQL impossible ({connection}) : {error}. Vérifiez l'hôte, la base, l'utilisateur et le mot de passe (ou la configuration d'authentification) de la connexion dans QGIS.</source>
            <translation>Cannot connect to PostgreSQL ({connection}): {error}. Check the host, database, user and password (or the authentication configuration) of the connection in QGIS.</translation>
        </message>
        <message>
            <source>Erreur PostgreSQL sur {destination} : {error}. Le contenu précédent du schéma est inchangé.</source>
            <translation>PostgreSQL error on {destination}: {error}. The previous content of the schema is unchanged.</translation>
        </message>
        <message>
            <source>Chaîne de connexion PostgreSQL refusée ({connection}) : {error}</source>
            <translation>PostgreSQL connection string refused ({connection}): {error}</translation>
        </message>
        <message>
            <source>Le style de la table « {table} » n'a pas pu être enregistré dans {destination}.</source>
            <translation>The style of the table “{table}” could not be saved in {destination}.</translation>
        </message>
        <message>
            <source>La table « {table} » n'a pas pu être écrite dans {destination} : {error}.</source>
            <translation>The table “{table}” could not be written to {destination}: {error}.</translation>
        </message>
        <message>
            <source>la recette n'est pas un objet JSON</source>
            <translation>the recipe is not a JSON object</translation>
        </message>
        <message>
            <source>champ « datasets » : des identifiants de jeux de données sont attendus</source>
            <translation>field "datasets": dataset ids are expected</translation>
        </message>
        <message>
            <source>Recette au format {format}, plus récent que cette extension (format {known}) : mettez l'extension à jour.</source>
            <translation>Recipe in format {format}, newer than this plugin (format {known}): update the plugin.</translation>
        </message>
        <message>
            <source>champ « {name} » absent ou d'un type inattendu ({value!r})</source>
            <translation>field "{name}" missing or of an unexpected type ({value!r})</translation>
        </message>
        <message>
            <source>| Couche | Ajoutées | Supprimées | Modifiées | Inchangées | Comparaison |</source>
            <translation>| Layer | Added | Removed | Modified | Unchanged | Comparison |</translation>
        </message>
        <message>
            <source>Aucune source n'a changé : le paquet est à jour et n'a pas été réécrit.</source>
            <translation>No source changed: the package is up to date and was not rewritten.</translation>
        </message>
        <message>
            <source>Jeux de données en échec : leur couche précédente est gardée telle quelle (s'il y en avait une), une prochaine mise à jour les retentera.</source>
            <translation>Failed datasets: their previous layer is kept as it was (if there was one); the next update will try them again.</translation>
        </message>
        <message>
            <source>par identifiant</source>
            <translation>by identifier</translation>
        </message>
        <message>
            <source>par empreinte</source>
            <translation>by fingerprint</translation>
        </message>
        <message>
            <source>Recette passée du COG {source} au COG {target}.</source>
            <translation>Recipe moved from COG {source} to COG {target}.</translation>
        </message>
        <message>
            <source># Mise à jour du paquet « {group} »</source>
            <translation># Update of the package « {group} »</translation>
        </message>
        <message>
            <source>- Date : {when}</source>
            <translation>- Date: {when}</translation>
        </message>
        <message>
            <source>- Paquet précédent : {date}, COG {vintage}</source>
            <translation>- Previous package: {date}, COG {vintage}</translation>
        </message>
        <message>
            <source>- COG de la mise à jour : {vintage}</source>
            <translation>- COG of the update: {vintage}</translation>
        </message>
        <message>
            <source>Total : {added} ajoutée(s), {removed} supprimée(s), {modified} modifiée(s).</source>
            <translation>Total: {added} added, {removed} removed, {modified} modified.</translation>
        </message>
        <message>
            <source>La recette du paquet {destination} est illisible ({error}) : le manifeste a peut-être été modifié à la main. Produisez le paquet de nouveau avec « Produire un paquet territorial ».</source>
            <translation>The recipe of package {destination} is unreadable ({error}): the manifest may have been edited by hand. Produce the package again with "Build a territorial package".</translation>
        </message>
        <message>
            <source>Passage du COG {source} au COG {target} impossible pour commune:{code} : {message}</source>
            <translation>Cannot move from COG {source} to COG {target} for commune:{code}: {message}</translation>
        </message>
        <message>
            <source>commune:{code} devient {new} ({name}) dans le COG {target}.</source>
            <translation>commune:{code} becomes {new} ({name}) in COG {target}.</translation>
        </message>
        <message>
            <source>Passage au COG {target} impossible : {error}</source>
            <translation>Cannot move to COG {target}: {error}</translation>
        </message>
        <message>
            <source>Production annulée : les paquets déjà écrits sont gardés.</source>
            <translation>Run cancelled: the packages already written are kept.</translation>
        </message>
        <message>
            <source>Production annulée : aucun paquet écrit.</source>
            <translation>Production cancelled: no package written.</translation>
        </message>
        <message>
            <source>Sources inchangées depuis la production du paquet : il est à jour et n'a pas été réécrit.</source>
            <translation>Sources unchanged since the package was produced: it is up to date and was not rewritten.</translation>
        </message>
        <message>
            <source>{count} paquet(s) déjà à jour, {todo} à écrire.</source>
            <translation>{count} package(s) already up to date, {todo} to write.</translation>
        </message>
        <message>
            <source>« {title} » ({id}) : découpe…</source>
            <translation>« {title} » ({id}): cutting…</translation>
        </message>
        <message>
            <source>Style du jeu « {dataset} » : {problems} ; seuls la symbologie, les étiquettes, le rendu et les alias de champs sont repris dans le paquet.</source>
            <translation>Style of dataset “{dataset}”: {problems}; only the symbology, labels, rendering and field aliases are kept in the package.</translation>
        </message>
        <message>
            <source>Style du jeu « {dataset} » ignoré : {problems}.</source>
            <translation>Style of dataset “{dataset}” ignored: {problems}.</translation>
        </message>
        <message>
            <source>fichier QML illisible</source>
            <translation>unreadable QML file</translation>
        </message>
        <message>
            <source>Style du jeu « {dataset} » ignoré : QGIS ne peut pas le lire ({error}).</source>
            <translation>Style of dataset “{dataset}” ignored: QGIS cannot read it ({error}).</translation>
        </message>
        <message>
            <source>Style du jeu « {dataset} » ignoré : il n'a pas pu être nettoyé ({error}).</source>
            <translation>Style of dataset “{dataset}” ignored: it could not be cleaned ({error}).</translation>
        </message>
        <message>
            <source>Vérifiez l'espace disque et les droits d'écriture, puis relancez.</source>
            <translation>Check the disk space and the write permissions, then run again.</translation>
        </message>
        <message>
            <source>La table « {table} » (jeu « {dataset} ») n'a pas pu être écrite dans {destination}.</source>
            <translation>The table “{table}” (dataset “{dataset}”) could not be written to {destination}.</translation>
        </message>
        <message>
            <source>La table « {table} » (jeu « {dataset} ») est incomplète dans {destination} : {expected} entités envoyées, {count} écrites.</source>
            <translation>The table “{table}” (dataset “{dataset}”) is incomplete in {destination}: {expected} features sent, {count} written.</translation>
        </message>
        <message>
            <source>Le contenu précédent est inchangé.</source>
            <translation>The previous content is unchanged.</translation>
        </message>
        <message>
            <source>Ses colonnes {columns} ne diffèrent que par la casse : renommez-en une.</source>
            <translation>Its columns {columns} differ only by case: rename one of them.</translation>
        </message>
        <message>
            <source>Aucun interpréteur Python capable de lancer QGIS n'a été trouvé : les paquets sont écrits dans ce processus, un à la fois.</source>
            <translation>No Python interpreter able to start QGIS was found: the packages are written in this process, one at a time.</translation>
        </message>
        <message>
            <source>Reste d'écriture non supprimé pour {name} : {error}</source>
            <translation>Leftover of an interrupted write not removed for {name}: {error}</translation>
        </message>
        <message>
            <source>Un processus de travail s'est arrêté en erreur (code {code}) : voir {log}.</source>
            <translation>A worker process stopped with an error (code {code}): see {log}.</translation>
        </message>
        <message>
            <source>Écriture des paquets par {count} processus de travail.</source>
            <translation>Packages written by {count} worker processes.</translation>
        </message>
        <message>
            <source>Paquet écrit : {destination}.</source>
            <translation>Package written: {destination}.</translation>
        </message>
        <message>
            <source>{count} paquet(s) non écrit(s) par les processus de travail : écriture dans ce processus.</source>
            <translation>{count} package(s) not written by the worker processes: writing them in this process.</translation>
        </message>
        <message>
            <source>Processus de travail impossible à lancer ({error}).</source>
            <translation>Worker processes cannot be started ({error}).</translation>
        </message>
        <message>
            <source>le processus de travail qui écrivait ce paquet s'est arrêté ; relancez la production pour le reprendre.</source>
            <translation>the worker process writing this package stopped; run the production again to resume it.</translation>
        </message>
        <message>
            <source>l'ouverture de l'aide en ligne</source>
            <translation>opening the online help</translation>
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
            <source>Le fournisseur Processing « donnees_territoires » est déjà enregistré.</source>
            <translation>The « donnees_territoires » Processing provider is already registered.</translation>
        </message>
        <message>
            <source>la déclaration des paramètres d'un algorithme</source>
            <translation>declaring the parameters of an algorithm</translation>
        </message>
        <message>
            <source>la lecture de l'aide d'un algorithme</source>
            <translation>reading the help of an algorithm</translation>
        </message>
        <message>
            <source>Jeux de données (identifiants du catalogue séparés par des virgules)</source>
            <translation>Datasets (catalog ids separated by commas)</translation>
        </message>
        <message>
            <source>Tout ou rien : un jeu de données en échec fait échouer le paquet (sinon il est laissé de côté, ou garde sa couche précédente)</source>
            <translation>All or nothing: a failed dataset fails the package (otherwise it is left out, or keeps its previous layer)</translation>
        </message>
        <message>
            <source>Ou connexion PostGIS du paquet</source>
            <translation>Or PostGIS connection of the package</translation>
        </message>
        <message>
            <source>Schéma PostGIS du paquet</source>
            <translation>PostGIS schema of the package</translation>
        </message>
        <message>
            <source>Perte admise d'un jeu de données par rapport au paquet précédent (%) : au-delà, sa table précédente est gardée (100 : aucun contrôle)</source>
            <translation>Admitted loss of a dataset compared with the previous package (%): beyond it, its previous table is kept (100: no check)</translation>
        </message>
        <message>
            <source>Territoire(s), par exemple epci:243300316 ou commune:33063,commune:33281</source>
            <translation>Territory or territories, e.g. epci:243300316 or commune:33063,commune:33281</translation>
        </message>
        <message>
            <source>Millésime du COG</source>
            <translation>COG vintage</translation>
        </message>
        <message>
            <source>Zone tampon (mètres, dans la projection légale)</source>
            <translation>Buffer (metres, in the legal projection)</translation>
        </message>
        <message>
            <source>Jeux de données en échec, laissés de côté ou gardés tels quels (identifiants séparés par des virgules)</source>
            <translation>Failed datasets, left out or kept as they were (comma-separated ids)</translation>
        </message>
        <message>
            <source>Une ligne par jeu de données en échec : ce qui a échoué</source>
            <translation>One line per failed dataset: what failed</translation>
        </message>
        <message>
            <source>Système de coordonnées (vide : projection légale du territoire)</source>
            <translation>Coordinate reference system (empty: legal projection of the territory)</translation>
        </message>
        <message>
            <source>Valeurs : {names} (ou leur rang, à partir de 0)</source>
            <translation>Values: {names} (or their position, from 0)</translation>
        </message>
        <message>
            <source>« {value} » n'est pas une valeur possible de « {parameter} » : choisissez parmi {names} (ou leur rang, à partir de 0).</source>
            <translation>"{value}" is not a possible value of "{parameter}": choose among {names} (or their position, from 0).</translation>
        </message>
        <message>
            <source>« {label} » ({name}) vaut {value} : choisissez une valeur {allowed}.</source>
            <translation>"{label}" ({name}) is {value}: choose a value {allowed}.</translation>
        </message>
        <message>
            <source>Projection « {value} » inconnue ({name}) : donnez un code qui existe, par exemple EPSG:2154 (Lambert-93), ou laissez vide pour la projection légale du territoire.</source>
            <translation>Unknown CRS "{value}" ({name}): give a code that exists, for instance EPSG:2154 (Lambert-93), or leave it empty for the territory's legal projection.</translation>
        </message>
        <message>
            <source>« {label} » ({name}) est à remplir.</source>
            <translation>"{label}" ({name}) must be filled in.</translation>
        </message>
        <message>
            <source>« {label} » ({name}) attend un nombre, pas « {value} ».</source>
            <translation>"{label}" ({name}) expects a number, not "{value}".</translation>
        </message>
        <message>
            <source>entre {low:g} et {high:g}</source>
            <translation>between {low:g} and {high:g}</translation>
        </message>
        <message>
            <source>supérieure ou égale à {low:g}</source>
            <translation>greater than or equal to {low:g}</translation>
        </message>
        <message>
            <source>la vérification des paramètres</source>
            <translation>checking the parameters</translation>
        </message>
        <message>
            <source>« {algorithm} »</source>
            <translation>"{algorithm}"</translation>
        </message>
        <message>
            <source>Produire un paquet par territoire</source>
            <translation>Build one package per territory</translation>
        </message>
        <message>
            <source>Paquets territoriaux</source>
            <translation>Territorial packages</translation>
        </message>
        <message>
            <source>Territoire parent, par exemple departement:33 ou epci:243300316</source>
            <translation>Parent territory, for example departement:33 or epci:243300316</translation>
        </message>
        <message>
            <source>Un paquet par</source>
            <translation>One package per</translation>
        </message>
        <message>
            <source>Ou connexion PostGIS (au lieu des GeoPackage)</source>
            <translation>Or PostGIS connection (instead of GeoPackages)</translation>
        </message>
        <message>
            <source>Schéma PostGIS : préfixe des schémas par territoire, ou schéma des tables (vide : commune_33063…, ou departement_33_communes)</source>
            <translation>PostGIS schema: prefix of the per-territory schemas, or schema of the tables (empty: commune_33063…, or departement_33_communes)</translation>
        </message>
        <message>
            <source>Processus d'écriture en parallèle (0 : un par cœur du processeur, 4 au plus)</source>
            <translation>Parallel writing processes (0: one per processor core, 4 at most)</translation>
        </message>
        <message>
            <source>Organisation dans PostGIS</source>
            <translation>Layout in PostGIS</translation>
        </message>
        <message>
            <source>commune</source>
            <translation>municipality</translation>
        </message>
        <message>
            <source>EPCI (ayant des communes dans le parent)</source>
            <translation>EPCI (with municipalities in the parent)</translation>
        </message>
        <message>
            <source>Dossier des paquets (avec PostGIS : dossier du rapport)</source>
            <translation>Packages folder (with PostGIS: report folder)</translation>
        </message>
        <message>
            <source>un schéma par territoire</source>
            <translation>one schema per territory</translation>
        </message>
        <message>
            <source>une table par jeu de données, avec une colonne code_territoire</source>
            <translation>one table per dataset, with a code_territoire column</translation>
        </message>
        <message>
            <source>Dossier des paquets</source>
            <translation>Packages folder</translation>
        </message>
        <message>
            <source>Rapport (HTML)</source>
            <translation>Report (HTML)</translation>
        </message>
        <message>
            <source>Rapport (CSV)</source>
            <translation>Report (CSV)</translation>
        </message>
        <message>
            <source>Paquets écrits</source>
            <translation>Packages written</translation>
        </message>
        <message>
            <source>Paquets déjà à jour</source>
            <translation>Packages already up to date</translation>
        </message>
        <message>
            <source>Paquets en échec</source>
            <translation>Packages failed</translation>
        </message>
        <message>
            <source>Processus qui ont écrit les paquets</source>
            <translation>Processes that wrote the packages</translation>
        </message>
        <message>
            <source>Paquets obsolètes (territoire absent du COG)</source>
            <translation>Obsolete packages (territory missing from the COG)</translation>
        </message>
        <message>
            <source>Paquets écrits ou à jour sans un ou plusieurs jeux de données en échec</source>
            <translation>Packages written or up to date without one or more failed datasets</translation>
        </message>
        <message>
            <source>{written} paquet(s) écrit(s), {unchanged} déjà à jour, {failed} en échec ({destination}) ; rapport : {report}</source>
            <translation>{written} package(s) written, {unchanged} already up to date, {failed} failed ({destination}); report: {report}</translation>
        </message>
        <message>
            <source>Paquets en échec : {names}.</source>
            <translation>Failed packages: {names}.</translation>
        </message>
        <message>
            <source>Paquets en échec partiel, un ou plusieurs jeux de données en échec (leur table précédente gardée ; détail dans le rapport) : {names}.</source>
            <translation>Packages with a partial failure, one or more datasets failed (their previous table kept; details in the report): {names}.</translation>
        </message>
        <message>
            <source>Produire un paquet territorial</source>
            <translation>Build a territorial package</translation>
        </message>
        <message>
            <source>Emprise personnalisée (polygones) : découper sur elle plutôt que sur le territoire</source>
            <translation>Custom extent (polygons): cut to it rather than to the territory</translation>
        </message>
        <message>
            <source>Ou connexion PostGIS (au lieu du GeoPackage)</source>
            <translation>Or PostGIS connection (instead of the GeoPackage)</translation>
        </message>
        <message>
            <source>Schéma PostGIS (vide : un schéma nommé d'après le territoire)</source>
            <translation>PostGIS schema (empty: a schema named after the territory)</translation>
        </message>
        <message>
            <source>Paquet GeoPackage</source>
            <translation>GeoPackage package</translation>
        </message>
        <message>
            <source>Charger le paquet dans le projet, stylé, dans un groupe du territoire</source>
            <translation>Load the package into the project, styled, in a group of the territory</translation>
        </message>
        <message>
            <source>Couches du paquet</source>
            <translation>Package layers</translation>
        </message>
        <message>
            <source>Paquet déjà à jour (rien réécrit)</source>
            <translation>Package already up to date (nothing rewritten)</translation>
        </message>
        <message>
            <source>Emplacement du paquet, comme sa recette le garde (JSON)</source>
            <translation>Where the package is, as its recipe keeps it (JSON)</translation>
        </message>
        <message>
            <source>Indiquez un fichier GeoPackage ou une connexion PostGIS.</source>
            <translation>Give a GeoPackage file or a PostGIS connection.</translation>
        </message>
        <message>
            <source>L'emprise personnalisée ne contient aucun polygone.</source>
            <translation>The custom extent holds no polygon.</translation>
        </message>
        <message>
            <source>Paquet « {group} » déjà à jour : {destination}.</source>
            <translation>Package « {group} » already up to date: {destination}.</translation>
        </message>
        <message>
            <source>Paquet « {group} » écrit : {destination} ({count} couches).</source>
            <translation>Package « {group} » written: {destination} ({count} layers).</translation>
        </message>
        <message>
            <source>Découper une couche sur un territoire</source>
            <translation>Clip a layer to a territory</translation>
        </message>
        <message>
            <source>Extraction</source>
            <translation>Extraction</translation>
        </message>
        <message>
            <source>Mode de découpe</source>
            <translation>Cutting mode</translation>
        </message>
        <message>
            <source>territoire</source>
            <translation>territory</translation>
        </message>
        <message>
            <source>Couche à découper (par exemple un fichier national)</source>
            <translation>Layer to cut (for example a national file)</translation>
        </message>
        <message>
            <source>intersection (entités entières qui touchent le territoire)</source>
            <translation>intersects (whole features touching the territory)</translation>
        </message>
        <message>
            <source>découpe (géométries coupées à la limite)</source>
            <translation>clip (geometries cut at the boundary)</translation>
        </message>
        <message>
            <source>inclusion (entités entièrement dans le territoire)</source>
            <translation>within (features entirely inside the territory)</translation>
        </message>
        <message>
            <source>Couche découpée</source>
            <translation>Cut layer</translation>
        </message>
        <message>
            <source>{kept} entité(s) gardée(s) sur {read} retenue(s) par le filtre ({mode}).</source>
            <translation>{kept} feature(s) kept out of {read} selected by the filter ({mode}).</translation>
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
        <message>
            <source>Télécharger un référentiel pour un territoire</source>
            <translation>Download a reference dataset for a territory</translation>
        </message>
        <message>
            <source>Jeu de données (identifiant du catalogue, par exemple ban-adresses)</source>
            <translation>Dataset (catalog id, for example ban-adresses)</translation>
        </message>
        <message>
            <source>Référentiel découpé</source>
            <translation>Cut reference dataset</translation>
        </message>
        <message>
            <source>« {dataset} » : {count} entité(s), {files} fichier(s) téléchargé(s) ou lus en cache, en {crs}.</source>
            <translation>« {dataset} »: {count} feature(s), {files} file(s) downloaded or read from the cache, in {crs}.</translation>
        </message>
        <message>
            <source>Jeu de données « {id} » inconnu. Identifiants proches : {close}. La liste complète est dans le panneau ou dans resources/catalog/catalog.json.</source>
            <translation>Unknown dataset « {id} ». Close ids: {close}. The full list is in the panel or in resources/catalog/catalog.json.</translation>
        </message>
        <message>
            <source>le chargement des algorithmes de Données et territoires</source>
            <translation>loading the Données et territoires algorithms</translation>
        </message>
        <message>
            <source>Publier un paquet sur data.gouv.fr</source>
            <translation>Publish a package on data.gouv.fr</translation>
        </message>
        <message>
            <source>Publication</source>
            <translation>Publication</translation>
        </message>
        <message>
            <source>Paquet GeoPackage à publier</source>
            <translation>GeoPackage package to publish</translation>
        </message>
        <message>
            <source>Ou dossier d'un lot (un jeu de données par territoire)</source>
            <translation>Or a batch's folder (one dataset per territory)</translation>
        </message>
        <message>
            <source>Organisation data.gouv.fr (identifiant ou nom court)</source>
            <translation>data.gouv.fr organisation (id or short name)</translation>
        </message>
        <message>
            <source>Clé d'API (configuration d'authentification QGIS)</source>
            <translation>API key (QGIS authentication configuration)</translation>
        </message>
        <message>
            <source>Essai à blanc : écrire les requêtes dans ce dossier sans rien envoyer</source>
            <translation>Dry run: write the requests to this folder without sending anything</translation>
        </message>
        <message>
            <source>Identifiant du jeu publié</source>
            <translation>Id of the published dataset</translation>
        </message>
        <message>
            <source>Page du jeu publié</source>
            <translation>Page of the published dataset</translation>
        </message>
        <message>
            <source>Requêtes de l'essai</source>
            <translation>Dry run requests</translation>
        </message>
        <message>
            <source>Déjà publié tel quel</source>
            <translation>Already published as is</translation>
        </message>
        <message>
            <source>Jeu créé</source>
            <translation>Dataset created</translation>
        </message>
        <message>
            <source>Paquets publiés (ou déjà publiés tels quels)</source>
            <translation>Packages published (or already published as they are)</translation>
        </message>
        <message>
            <source>Adresse du catalogue de l'organisation</source>
            <translation>Address of the organisation's catalog</translation>
        </message>
        <message>
            <source>Une ligne par paquet en échec : ce qui a échoué</source>
            <translation>One line per failed package: what failed</translation>
        </message>
        <message>
            <source>Indiquez l'organisation data.gouv.fr qui publie (son identifiant ou son nom court).</source>
            <translation>Give the data.gouv.fr organisation that publishes (its id or short name).</translation>
        </message>
        <message>
            <source>{count} paquet(s) publié(s) : {created} nouveau(x), {updated} mis à jour, {unchanged} inchangé(s) ; {failed} en échec.</source>
            <translation>{count} package(s) published: {created} new, {updated} updated, {unchanged} unchanged; {failed} failed.</translation>
        </message>
        <message>
            <source>Indiquez le schéma PostGIS du paquet à publier.</source>
            <translation>Give the PostGIS schema of the package to publish.</translation>
        </message>
        <message>
            <source>Indiquez le paquet à publier : un GeoPackage, le dossier d'un lot, ou une connexion PostGIS et son schéma.</source>
            <translation>Give the package to publish: a GeoPackage, a batch's folder, or a PostGIS connection and its schema.</translation>
        </message>
        <message>
            <source>Essai à blanc : rien n'a été envoyé ; requêtes dans {path}.</source>
            <translation>Dry run: nothing was sent; requests in {path}.</translation>
        </message>
        <message>
            <source>{name} laissé de côté : {why}.</source>
            <translation>{name} left aside: {why}.</translation>
        </message>
        <message>
            <source>Aucun paquet du dossier n'a été publié : {message}</source>
            <translation>No package of the folder was published: {message}</translation>
        </message>
        <message>
            <source>Annulé après {count} paquet(s) : les suivants n'ont pas été publiés.</source>
            <translation>Canceled after {count} package(s): the following ones were not published.</translation>
        </message>
        <message>
            <source>Le paquet n'a pas changé depuis sa dernière publication ({page}) : rien n'a été envoyé.</source>
            <translation>The package has not changed since its last publication ({page}): nothing was sent.</translation>
        </message>
        <message>
            <source>Publié : {page} ({count} fichiers).</source>
            <translation>Published: {page} ({count} files).</translation>
        </message>
        <message>
            <source>Mettre à jour un paquet</source>
            <translation>Update a package</translation>
        </message>
        <message>
            <source>Paquet GeoPackage à mettre à jour</source>
            <translation>GeoPackage package to update</translation>
        </message>
        <message>
            <source>Millésime du COG visé (vide : le plus récent)</source>
            <translation>Target COG vintage (empty: the latest)</translation>
        </message>
        <message>
            <source>Rapport des changements (Markdown ; vide : à côté du paquet)</source>
            <translation>Change report (Markdown; empty: next to the package)</translation>
        </message>
        <message>
            <source>Markdown (*.md)</source>
            <translation>Markdown (*.md)</translation>
        </message>
        <message>
            <source>Entités ajoutées</source>
            <translation>Features added</translation>
        </message>
        <message>
            <source>Entités supprimées</source>
            <translation>Features removed</translation>
        </message>
        <message>
            <source>Entités modifiées</source>
            <translation>Features modified</translation>
        </message>
        <message>
            <source>Indiquez le schéma PostGIS du paquet à mettre à jour.</source>
            <translation>Give the PostGIS schema of the package to update.</translation>
        </message>
        <message>
            <source>Indiquez le paquet GeoPackage (ou la connexion PostGIS) à mettre à jour.</source>
            <translation>Give the GeoPackage package (or the PostGIS connection) to update.</translation>
        </message>
        <message>
            <source>{title} : +{added} / -{removed} / ~{modified}</source>
            <translation>{title}: +{added} / -{removed} / ~{modified}</translation>
        </message>
        <message>
            <source>Rapport des changements : {path}</source>
            <translation>Change report: {path}</translation>
        </message>
        <message>
            <source>Contour d'un territoire</source>
            <translation>Territory boundary</translation>
        </message>
        <message>
            <source>Simplification pour l'affichage (tolérance en mètres, 0 : aucune)</source>
            <translation>Simplification for display (tolerance in metres, 0: none)</translation>
        </message>
        <message>
            <source>Réunir les territoires en un seul contour</source>
            <translation>Dissolve the territories into one boundary</translation>
        </message>
        <message>
            <source>Contours</source>
            <translation>Boundaries</translation>
        </message>
        <message>
            <source>{count} contour(s) en {crs}.</source>
            <translation>{count} boundary(ies) in {crs}.</translation>
        </message>
        <message>
            <source>Géométries de communes réparées : {repaired}, écartées (vides) : {dropped}.</source>
            <translation>Commune geometries repaired: {repaired}, dropped (empty): {dropped}.</translation>
        </message>
        <message>
            <source>La clé d'API a été refusée par {url} ({detail}) : vérifiez-la (profil data.gouv.fr › Clé d'API) et la configuration d'authentification choisie dans les options.</source>
            <translation>The API key was refused by {url} ({detail}): check it (data.gouv.fr profile › API key) and the authentication configuration chosen in the options.</translation>
        </message>
        <message>
            <source>Le compte de la clé d'API n'a pas le droit d'écrire ici ({url}, {detail}) : il doit être membre de l'organisation.</source>
            <translation>The API key's account may not write here ({url}, {detail}): it must be a member of the organisation.</translation>
        </message>
        <message>
            <source>{url} n'existe pas sur la plateforme ({detail}) : vérifiez l'organisation choisie.</source>
            <translation>{url} does not exist on the platform ({detail}): check the organisation chosen.</translation>
        </message>
        <message>
            <source>Plateforme de publication inconnue : « {platform} » (production ou demo).</source>
            <translation>Unknown publication platform: « {platform} » (production or demo).</translation>
        </message>
        <message>
            <source>Aucune clé d'API data.gouv.fr : créez une configuration d'authentification QGIS (Préférences › Options › Authentification, méthode « Basic », la clé comme mot de passe) et choisissez-la dans les options de l'extension (configuration « {authcfg} » introuvable).</source>
            <translation>No data.gouv.fr API key: create a QGIS authentication configuration (Settings › Options › Authentication, « Basic » method, the key as password) and choose it in the plugin's options (configuration « {authcfg} » not found).</translation>
        </message>
        <message>
            <source>La configuration d'authentification « {authcfg} » n'a pas pu être lue : saisissez le mot de passe maître de QGIS, puis relancez.</source>
            <translation>The authentication configuration « {authcfg} » could not be read: enter the QGIS master password, then run again.</translation>
        </message>
        <message>
            <source>La configuration d'authentification « {authcfg} » ne contient pas de clé d'API (méthode « Basic » : la clé dans le mot de passe).</source>
            <translation>The authentication configuration « {authcfg} » holds no API key (« Basic » method: the key in the password).</translation>
        </message>
        <message>
            <source>La plateforme refuse un fichier trop gros ({url}, {detail}) : publiez moins de couches à la fois.</source>
            <translation>The platform refuses a file that is too large ({url}, {detail}): publish fewer layers at once.</translation>
        </message>
        <message>
            <source>La plateforme a répondu {status} à {method} {url} ({detail}) ; réessayez plus tard.</source>
            <translation>The platform answered {status} to {method} {url} ({detail}); try again later.</translation>
        </message>
        <message>
            <source>{method} {url} : {error}</source>
            <translation>{method} {url}: {error}</translation>
        </message>
        <message>
            <source>« {title} » ({table}) est sous « {licence} », une licence qui ne permet pas de le republier comme donnée ouverte sans vérification : retirez ce jeu du paquet avant de le publier.</source>
            <translation>« {title} » ({table}) is under « {licence} », a licence that does not allow republishing it as open data without checking: remove this dataset from the package before publishing it.</translation>
        </message>
        <message>
            <source>L'entrée de catalogue de l'organisation serait invalide ({errors}) : rien n'a été publié dans le catalogue.</source>
            <translation>The organisation's catalog entry would be invalid ({errors}): nothing was published in the catalog.</translation>
        </message>
        <message>
            <source>Paquet du schéma {where} exporté en GeoPackage : {path} ({count} tables).</source>
            <translation>Package of schema {where} exported to a GeoPackage: {path} ({count} tables).</translation>
        </message>
        <message>
            <source>Aucune clé à enregistrer dans le manifeste du schéma « {schema} » ({connection}).</source>
            <translation>No key to record in the manifest of schema « {schema} » ({connection}).</translation>
        </message>
        <message>
            <source>La table « {table} » du schéma {where} ne s'ouvre pas dans QGIS : vérifiez qu'elle existe encore et que vous avez le droit de la lire, ou réécrivez le paquet.</source>
            <translation>Table « {table} » of schema {where} does not open in QGIS: check that it still exists and that you may read it, or write the package again.</translation>
        </message>
        <message>
            <source>Export de la table « {table} » du schéma {where} : {detail}</source>
            <translation>Export of table « {table} » of schema {where}: {detail}</translation>
        </message>
        <message>
            <source>La table « {table} » du schéma {where} n'a pas pu être exportée en GeoPackage ({error}) : vérifiez l'espace disque du dossier de travail, puis relancez la publication.</source>
            <translation>Table « {table} » of schema {where} could not be exported to a GeoPackage ({error}): check the disk space of the work folder, then publish again.</translation>
        </message>
        <message>
            <source>La table « {table} » du schéma {where} est incomplète dans le GeoPackage exporté ({count} lignes sur {expected}) : vérifiez l'espace disque du dossier de travail, puis relancez la publication.</source>
            <translation>Table « {table} » of schema {where} is incomplete in the exported GeoPackage ({count} rows of {expected}): check the disk space of the work folder, then publish again.</translation>
        </message>
        <message>
            <source>La table « {table} » du schéma {where} compte {count} lignes mais son manifeste en annonce {expected} : elle a été modifiée depuis l'écriture du paquet ; actualisez ou réécrivez le paquet avant de le publier.</source>
            <translation>Table « {table} » of schema {where} has {count} rows but its manifest announces {expected}: it was changed since the package was written; refresh or write the package again before publishing it.</translation>
        </message>
        <message>
            <source>Le style « {style} » de la table « {table} » du schéma {where} est introuvable : la table est exportée sans style.</source>
            <translation>Style « {style} » of table « {table} » of schema {where} cannot be found: the table is exported without a style.</translation>
        </message>
        <message>
            <source>Le style de la table « {table} » du schéma {where} n'a pas pu être copié dans le GeoPackage exporté.</source>
            <translation>The style of table « {table} » of schema {where} could not be copied into the exported GeoPackage.</translation>
        </message>
        <message>
            <source>Les métadonnées de la table « {table} » du schéma {where} n'ont pas pu être copiées dans le GeoPackage exporté ({error}) ; elles restent dans le manifeste.</source>
            <translation>The metadata of table « {table} » of schema {where} could not be copied into the exported GeoPackage ({error}); they stay in the manifest.</translation>
        </message>
        <message>
            <source>Le GeoPackage {path} n'a pas pu être finalisé : une connexion au fichier temporaire est restée ouverte. Relancez la publication.</source>
            <translation>GeoPackage {path} could not be finished: a connection to the temporary file stayed open. Publish again.</translation>
        </message>
        <message>
            <source>Le schéma « {schema} » n'existe pas dans {connection} : vérifiez le nom du schéma et la connexion du paquet à publier.</source>
            <translation>Schema « {schema} » does not exist in {connection}: check the schema's name and the connection of the package to publish.</translation>
        </message>
        <message>
            <source>Le schéma « {schema} » de {connection} n'est pas un paquet de l'extension (il n'a pas de tables « {manifest} » et « {layers} ») : choisissez le schéma d'un paquet écrit par l'extension pour le publier.</source>
            <translation>Schema « {schema} » of {connection} is not a package of the plugin (it has no « {manifest} » and « {layers} » tables): choose the schema of a package written by the plugin to publish it.</translation>
        </message>
        <message>
            <source>Impossible d'écrire {path} : c'est un dossier ; supprimez-le ou choisissez un autre dossier de travail.</source>
            <translation>Cannot write {path}: it is a folder; delete it or choose another work folder.</translation>
        </message>
        <message>
            <source>Publication annulée : l'export du schéma {where} en GeoPackage a été interrompu, rien n'a été publié.</source>
            <translation>Publication canceled: the export of schema {where} to a GeoPackage was interrupted, nothing was published.</translation>
        </message>
        <message>
            <source>Export du schéma {where} en GeoPackage : {error}</source>
            <translation>Export of schema {where} to a GeoPackage: {error}</translation>
        </message>
        <message>
            <source>L'export du schéma {where} en GeoPackage a échoué ({error}) : vérifiez l'espace disque du dossier {folder}, puis relancez la publication.</source>
            <translation>The export of schema {where} to a GeoPackage failed ({error}): check the disk space of folder {folder}, then publish again.</translation>
        </message>
        <message>
            <source>La publication n'a pas pu être notée dans le manifeste du schéma « {schema} » ({connection}) : {error}. Vérifiez que vous avez le droit de modifier la table « {table} » de ce schéma ; le jeu publié reste en ligne.</source>
            <translation>The publication could not be recorded in the manifest of schema « {schema} » ({connection}): {error}. Check that you may change table « {table} » of this schema; the published dataset stays online.</translation>
        </message>
        <message>
            <source>Export de la table {table}…</source>
            <translation>Exporting table {table}…</translation>
        </message>
        <message>
            <source>Style et métadonnées de la table {table}…</source>
            <translation>Style and metadata of table {table}…</translation>
        </message>
        <message>
            <source>Le paquet du schéma {where} a changé pendant son export (une actualisation en cours ?) : relancez la publication une fois l'actualisation terminée.</source>
            <translation>The package of schema {where} changed during its export (a refresh running?): publish again once the refresh is over.</translation>
        </message>
        <message>
            <source>Impossible de remplacer {path} ({error}) : le fichier est peut-être ouvert dans une autre application ; fermez-la, puis relancez la publication.</source>
            <translation>Cannot replace {path} ({error}): the file may be open in another application; close it, then publish again.</translation>
        </message>
        <message>
            <source>Erreur PostgreSQL en lisant le schéma {where} : {error}. Vérifiez la connexion et vos droits de lecture sur ce schéma, puis relancez la publication.</source>
            <translation>PostgreSQL error reading schema {where}: {error}. Check the connection and your read rights on this schema, then publish again.</translation>
        </message>
        <message>
            <source>Impossible de créer le dossier de travail {folder} ({error}) : choisissez un dossier où vous avez le droit d'écrire.</source>
            <translation>Cannot create the work folder {folder} ({error}): choose a folder you may write into.</translation>
        </message>
        <message>
            <source>le jeu créé par cette tentative a été supprimé</source>
            <translation>the dataset this attempt created was deleted</translation>
        </message>
        <message>
            <source>aucun jeu n'a été créé</source>
            <translation>no dataset was created</translation>
        </message>
        <message>
            <source>un jeu privé a peut-être été créé : la prochaine publication le retrouvera et le complétera</source>
            <translation>a private dataset may have been created: the next publication will find and complete it</translation>
        </message>
        <message>
            <source>Le dossier {folder} ne contient aucun paquet de l'extension à publier (fichiers .gpkg produits par « Produire un paquet par territoire »).</source>
            <translation>Folder {folder} holds no package of the plugin to publish (.gpkg files made by « Produire un paquet par territoire »).</translation>
        </message>
        <message>
            <source>La couche {table} du paquet {path} ne s'ouvre pas.</source>
            <translation>The layer {table} of the package {path} does not open.</translation>
        </message>
        <message>
            <source>Export de {table} impossible ({error}).</source>
            <translation>Could not export {table} ({error}).</translation>
        </message>
        <message>
            <source>L'organisation « {organisation} » n'existe pas sur {platform} : vérifiez son identifiant (ou son nom court) dans les options de l'extension.</source>
            <translation>The organisation « {organisation} » does not exist on {platform}: check its id (or short name) in the plugin's options.</translation>
        </message>
        <message>
            <source>ce n'est pas un paquet de l'extension</source>
            <translation>it is not a package of the plugin</translation>
        </message>
        <message>
            <source>Publication de {name} ({number}/{count})…</source>
            <translation>Publishing {name} ({number}/{count})…</translation>
        </message>
        <message>
            <source>Publication interrompue ({error}) ; {cleaned}. Relancez la publication.</source>
            <translation>Publication interrupted ({error}); {cleaned}. Publish again.</translation>
        </message>
        <message>
            <source>Mise à jour de la publication interrompue après {done} fichier(s) sur {count} ({error}) : le jeu {id} reste public, avec ses fichiers précédents pour les autres. Relancez la publication pour la terminer.</source>
            <translation>Update of the publication interrupted after {done} file(s) of {count} ({error}): the dataset {id} stays public, with its previous files for the others. Publish again to finish it.</translation>
        </message>
        <message>
            <source>Les fichiers sont publiés, mais le catalogue de l'organisation n'a pas pu être mis à jour ({error}) : relancez la publication pour l'y inscrire.</source>
            <translation>The files are published, but the organisation's catalog could not be updated ({error}): publish again to add them to it.</translation>
        </message>
        <message>
            <source>fait avec le COG {vintage}, plus ancien que celui du lot ({newest}) : son territoire n'existe plus</source>
            <translation>made with COG {vintage}, older than the batch's ({newest}): its territory no longer exists</translation>
        </message>
        <message>
            <source>le jeu privé {id} créé par cette tentative n'a pas pu être supprimé : supprimez-le sur la plateforme</source>
            <translation>the private dataset {id} this attempt created could not be deleted: delete it on the platform</translation>
        </message>
        <message>
            <source>ADMIN EXPRESS COG (WFS Géoplateforme), pleine précision</source>
            <translation>ADMIN EXPRESS COG (Géoplateforme WFS), full precision</translation>
        </message>
        <message>
            <source>API Geo (geo.api.gouv.fr), contours simplifiés à environ 5 m</source>
            <translation>API Geo (geo.api.gouv.fr), boundaries simplified at about 5 m</translation>
        </message>
        <message>
            <source>fichier local {name}</source>
            <translation>local file {name}</translation>
        </message>
        <message>
            <source>Le fichier de contours {path} est introuvable : corrigez le chemin dans les options de l'extension (Contours locaux) ou la variable DONNEES_TERRITOIRES_CONTOURS.</source>
            <translation>The boundary file {path} cannot be found: fix the path in the plugin options (Local boundaries) or the DONNEES_TERRITOIRES_CONTOURS variable.</translation>
        </message>
        <message>
            <source>Aucune couche de communes dans {path} : il faut une couche de polygones avec un champ de code INSEE ({fields}).</source>
            <translation>No commune layer in {path}: a polygon layer with an INSEE code field ({fields}) is needed.</translation>
        </message>
        <message>
            <source>antérieur à {first}</source>
            <translation>older than {first}</translation>
        </message>
        <message>
            <source>{source} a répondu sans champ « {field} » (champs : {fields}) : le service a peut-être changé.</source>
            <translation>{source} answered without a "{field}" field (fields: {fields}): the service may have changed.</translation>
        </message>
        <message>
            <source>Le fichier de contours {path} n'a pas de couche « {kind} » : utilisez un ADMIN EXPRESS complet ou une autre source de contours.</source>
            <translation>The boundary file {path} has no « {kind} » layer: use a complete ADMIN EXPRESS or another boundary source.</translation>
        </message>
        <message>
            <source>Le fichier de contours {path} (COG {file_vintage}) n'a pas de polygone pour {count} commune(s) du COG {vintage} : {listed}{more}. Utilisez un fichier ADMIN EXPRESS plus récent, ou une source réseau.</source>
            <translation>The boundary file {path} (COG {file_vintage}) has no polygon for {count} commune(s) of COG {vintage}: {listed}{more}. Use a more recent ADMIN EXPRESS file, or a network source.</translation>
        </message>
        <message>
            <source>Contours lus dans {path} (COG {file_vintage} détecté) et rapportés au COG {vintage} : les communes fusionnées depuis sont réunies.</source>
            <translation>Boundaries read from {path} (COG {file_vintage} detected) and brought to COG {vintage}: communes merged since then are dissolved together.</translation>
        </message>
        <message>
            <source>Le WFS ADMIN EXPRESS COG suit le COG {latest} ; ces communes du COG {vintage} ont changé depuis : {codes}. Pour ce millésime, indiquez un fichier ADMIN EXPRESS COG {vintage} dans les options (Contours locaux).</source>
            <translation>The ADMIN EXPRESS COG WFS follows COG {latest}; these communes of COG {vintage} have changed since: {codes}. For this vintage, set an ADMIN EXPRESS COG {vintage} file in the options (Local boundaries).</translation>
        </message>
        <message>
            <source>Le WFS ADMIN EXPRESS n'a pas renvoyé le contour de : {codes}.</source>
            <translation>The ADMIN EXPRESS WFS did not return the boundary of: {codes}.</translation>
        </message>
        <message>
            <source>API Geo ne connaît que le COG {latest} ; ces communes du COG {vintage} ont changé depuis : {codes}. Pour ce millésime, indiquez un fichier ADMIN EXPRESS COG {vintage} dans les options (Contours locaux).</source>
            <translation>API Geo only knows COG {latest}; these communes of COG {vintage} have changed since: {codes}. For this vintage, set an ADMIN EXPRESS COG {vintage} file in the options (Local boundaries).</translation>
        </message>
        <message>
            <source>API Geo n'a pas renvoyé le contour de : {codes}.</source>
            <translation>API Geo did not return the boundary of: {codes}.</translation>
        </message>
        <message>
            <source>Aucun territoire indiqué : donnez par exemple commune:33063 ou epci:243300316.</source>
            <translation>No territory given: give for example commune:33063 or epci:243300316.</translation>
        </message>
        <message>
            <source>Aucune source de contours n'a pu fournir les communes demandées. {details}</source>
            <translation>No boundary source could provide the requested communes. {details}</translation>
        </message>
        <message>
            <source>Ordre des sources de contours « {value} » invalide : utilisez une liste parmi {keys}, séparée par des virgules.</source>
            <translation>Invalid boundary source order « {value} »: use a comma-separated list of {keys}.</translation>
        </message>
        <message>
            <source>Impossible de reprojeter le contour de {territory} de {source} vers {target} : vérifiez les grilles de transformation installées (Préférences › Options › Transformations).</source>
            <translation>Cannot reproject the boundary of {territory} from {source} to {target}: check the installed transformation grids (Settings › Options › Transformations).</translation>
        </message>
        <message>
            <source>Système de coordonnées « {crs} » inconnu : indiquez un code comme EPSG:2154.</source>
            <translation>Unknown coordinate reference system « {crs} »: give a code such as EPSG:2154.</translation>
        </message>
        <message>
            <source>Aucun polygone valide pour {territory} : vérifiez la source de contours.</source>
            <translation>No valid polygon for {territory}: check the boundary source.</translation>
        </message>
        <message>
            <source>Contour non mis en cache ({error}).</source>
            <translation>Boundary not cached ({error}).</translation>
        </message>
        <message>
            <source>{territories} : commune(s) fusionnée(s), devenue(s) déléguée(s) ou associée(s) dans le COG {vintage} ; aucune source n'a leur contour propre (il faut la couche commune_associee_ou_deleguee d'ADMIN EXPRESS). Pour la commune actuelle, utilisez {successors}. ({details})</source>
            <translation>{territories}: merged commune(s), now déléguée(s) or associée(s) in COG {vintage}; no source has their own boundary (the commune_associee_ou_deleguee layer of ADMIN EXPRESS is needed). For the current commune, use {successors}. ({details})</translation>
        </message>
        <message>
            <source>Le contour de {territory} demande la commune {code}, qui ne forme qu'un polygone avec {others} dans le fichier de contours (commune rétablie depuis) : utilisez un fichier ADMIN EXPRESS du COG {vintage} ou une source réseau.</source>
            <translation>The boundary of {territory} needs commune {code}, which is one polygon with {others} in the boundary file (a commune restored since): use an ADMIN EXPRESS file of COG {vintage} or a network source.</translation>
        </message>
        <message>
            <source>COG {vintage} (INSEE, via {package} {version}, Licence Ouverte)</source>
            <translation>COG {vintage} (INSEE, via {package} {version}, Licence Ouverte / Open Licence)</translation>
        </message>
        <message>
            <source>« {reference} » n'existe pas dans le COG {vintage}</source>
            <translation>“{reference}” does not exist in COG {vintage}</translation>
        </message>
        <message>
            <source>{head}. Codes possibles : {codes}.</source>
            <translation>{head}. Possible codes: {codes}.</translation>
        </message>
        <message>
            <source>{head}. Vérifiez le code INSEE (5 caractères, à ne pas confondre avec le code postal), cherchez la commune par son nom, ou convertissez des codes d'un autre millésime.</source>
            <translation>{head}. Check the INSEE code (5 characters, not to be confused with the postal code), search for the commune by its name, or convert codes of another vintage.</translation>
        </message>
        <message>
            <source>{head}. Vérifiez le SIREN, ou cherchez le groupement par son nom.</source>
            <translation>{head}. Check the SIREN, or search for the groupement by its name.</translation>
        </message>
        <message>
            <source>{head} : la Corse est divisée en departement:2A (Corse-du-Sud) et departement:2B (Haute-Corse).</source>
            <translation>{head}: Corsica is divided into departement:2A (Corse-du-Sud) and departement:2B (Haute-Corse).</translation>
        </message>
        <message>
            <source>{head}. Codes possibles : 01 à 95 (sans 20), 2A, 2B, 971 à 976 ; 975, 977, 978, 984 et 986 à 989 pour les collectivités d'outre-mer.</source>
            <translation>{head}. Possible codes: 01 to 95 (without 20), 2A, 2B, 971 to 976; 975, 977, 978, 984 and 986 to 989 for the overseas collectivités.</translation>
        </message>
        <message>
            <source>{file} est au format {format} et cette extension lit le format {supported} : mettez l'extension à jour.</source>
            <translation>{file} is in format {format} and this plugin reads format {supported}: update the plugin.</translation>
        </message>
        <message>
            <source>{head} : c'est un ancien code de la commune {code} {name}. Utilisez commune:{code}, ou convertissez vos codes vers ce millésime.</source>
            <translation>{head}: it is a former code of the commune {code} {name}. Use commune:{code}, or convert your codes to this vintage.</translation>
        </message>
        <message>
            <source>{head} : {code} est {kind} « {name} » ; écrivez {reference}.</source>
            <translation>{head}: {code} is the {kind} “{name}”; write {reference}.</translation>
        </message>
        <message>
            <source>{head} : la source de ce millésime ne contient pas les établissements publics territoriaux (ils y figurent à partir du COG 2023). Choisissez un millésime plus récent, ou désignez les communes de l'EPT.</source>
            <translation>{head}: the source of this vintage does not include the établissements publics territoriaux (they are listed from COG 2023 onwards). Choose a more recent vintage, or name the communes of the EPT.</translation>
        </message>
        <message>
            <source>Index des territoires introuvable ({path}) : réinstallez l'extension, ou dans une copie de travail lancez python3 scripts/build_territory_index.py.</source>
            <translation>Territory index not found ({path}): reinstall the plugin, or in a working copy run python3 scripts/build_territory_index.py.</translation>
        </message>
        <message>
            <source>Le COG {vintage} n'est pas disponible dans cette version de l'extension (millésimes disponibles : {first} à {last}). Choisissez l'un d'eux, ou mettez à jour l'extension.</source>
            <translation>COG {vintage} is not available in this version of the plugin (available vintages: {first} to {last}). Choose one of them, or update the plugin.</translation>
        </message>
        <message>
            <source>France métropolitaine et Corse</source>
            <translation>Metropolitan France and Corsica</translation>
        </message>
        <message>
            <source>Guadeloupe et Martinique</source>
            <translation>Guadeloupe and Martinique</translation>
        </message>
        <message>
            <source>Guyane</source>
            <translation>French Guiana</translation>
        </message>
        <message>
            <source>La Réunion</source>
            <translation>La Réunion</translation>
        </message>
        <message>
            <source>Mayotte</source>
            <translation>Mayotte</translation>
        </message>
        <message>
            <source>Saint-Pierre-et-Miquelon</source>
            <translation>Saint-Pierre-et-Miquelon</translation>
        </message>
        <message>
            <source>Saint-Barthélemy et Saint-Martin</source>
            <translation>Saint-Barthélemy and Saint-Martin</translation>
        </message>
        <message>
            <source>Aucun département : impossible de choisir une projection légale.</source>
            <translation>No département: cannot choose a legal projection.</translation>
        </message>
        <message>
            <source>La sélection couvre plusieurs zones de projection légale : {zones}. Produisez une sortie par zone, ou indiquez vous-même un SCR commun (par exemple EPSG:4326 ou EPSG:3857).</source>
            <translation>The selection spans several legal projection zones: {zones}. Produce one output per zone, or give a common CRS yourself (for example EPSG:4326 or EPSG:3857).</translation>
        </message>
        <message>
            <source>{zone} ({crs} : {codes})</source>
            <translation>{zone} ({crs}: {codes})</translation>
        </message>
        <message>
            <source>commune:33063, epci:243300316, ept:200057867, departement:33, region:75 ou france</source>
            <translation>commune:33063, epci:243300316, ept:200057867, departement:33, region:75 or france</translation>
        </message>
        <message>
            <source>Arrondissement municipal</source>
            <translation>Municipal arrondissement</translation>
        </message>
        <message>
            <source>Commune déléguée</source>
            <translation>Commune déléguée</translation>
        </message>
        <message>
            <source>Commune associée</source>
            <translation>Commune associée</translation>
        </message>
        <message>
            <source>Établissement public territorial</source>
            <translation>Territorial public establishment (EPT)</translation>
        </message>
        <message>
            <source>France</source>
            <translation>France</translation>
        </message>
        <message>
            <source>5 caractères, par exemple commune:33063 ou commune:2A004</source>
            <translation>5 characters, for example commune:33063 or commune:2A004</translation>
        </message>
        <message>
            <source>le SIREN à 9 chiffres, par exemple epci:243300316</source>
            <translation>the 9-digit SIREN, for example epci:243300316</translation>
        </message>
        <message>
            <source>le SIREN à 9 chiffres, par exemple ept:200057867</source>
            <translation>the 9-digit SIREN, for example ept:200057867</translation>
        </message>
        <message>
            <source>2 caractères (01…95, 2A, 2B) ou 3 chiffres outre-mer (971…976), par exemple departement:33</source>
            <translation>2 characters (01…95, 2A, 2B) or 3 digits overseas (971…976), for example departement:33</translation>
        </message>
        <message>
            <source>2 chiffres, par exemple region:75</source>
            <translation>2 digits, for example region:75</translation>
        </message>
        <message>
            <source>Écrivez par exemple {reference}.</source>
            <translation>Write for example {reference}.</translation>
        </message>
        <message>
            <source>Référence de territoire vide : indiquez par exemple {examples}.</source>
            <translation>Empty territory reference: give for example {examples}.</translation>
        </message>
        <message>
            <source>« {reference} » : il manque le type de territoire devant le code. {suggestion}</source>
            <translation>“{reference}”: the territory type is missing before the code. {suggestion}</translation>
        </message>
        <message>
            <source>« {reference} » : france ne prend pas de code ; écrivez simplement france.</source>
            <translation>“{reference}”: france takes no code; simply write france.</translation>
        </message>
        <message>
            <source>« {reference} » : type de territoire « {prefix} » inconnu. Types acceptés : commune, epci, ept, departement, region, france (exemples : {examples}).</source>
            <translation>“{reference}”: unknown territory type “{prefix}”. Accepted types: commune, epci, ept, departement, region, france (examples: {examples}).</translation>
        </message>
        <message>
            <source>« {reference} » : le COG n'a qu'un département 69 (Rhône), Métropole de Lyon comprise. Écrivez departement:69, ou epci:200046977 pour la seule Métropole de Lyon.</source>
            <translation>“{reference}”: the COG has only one département 69 (Rhône), Métropole de Lyon included. Write departement:69, or epci:200046977 for the Métropole de Lyon alone.</translation>
        </message>
        <message>
            <source>« {reference} » : code de {prefix} invalide ; attendu {expected}.</source>
            <translation>“{reference}”: invalid {prefix} code; expected {expected}.</translation>
        </message>
        <message>
            <source>Aucun territoire indiqué : écrivez par exemple {examples}.</source>
            <translation>No territory given: write for example {examples}.</translation>
        </message>
        <message>
            <source>Écrivez epci:{code} (ou ept:{code} pour un établissement public territorial).</source>
            <translation>Write epci:{code} (or ept:{code} for an établissement public territorial).</translation>
        </message>
        <message>
            <source>« {references} » : référence vide entre deux virgules ; séparez les territoires par une seule virgule, par exemple commune:33063,commune:33281.</source>
            <translation>“{references}”: empty reference between two commas; separate the territories with a single comma, for example commune:33063,commune:33281.</translation>
        </message>
        <message>
            <source>Code vide.</source>
            <translation>Empty code.</translation>
        </message>
        <message>
            <source>Aucun millésime du COG disponible pour convertir des codes.</source>
            <translation>No COG vintage available to convert codes.</translation>
        </message>
        <message>
            <source>Arrondissement municipal, inchangé.</source>
            <translation>Municipal arrondissement, unchanged.</translation>
        </message>
        <message>
            <source>Code inchangé.</source>
            <translation>Code unchanged.</translation>
        </message>
        <message>
            <source>Le code {code} n'existe dans aucun millésime du COG {first} à {last}, ni comme ancien code : vérifiez la colonne (code INSEE à 5 caractères, 2A/2B pour la Corse).</source>
            <translation>The code {code} exists in no COG vintage from {first} to {last}, not even as a former code: check the column (5-character INSEE code, 2A/2B for Corsica).</translation>
        </message>
        <message>
            <source>Aucun code commune dans la colonne.</source>
            <translation>No commune code in the column.</translation>
        </message>
        <message>
            <source>Le code {code} (COG {source}) correspond à la commune {commune} du COG {target}.</source>
            <translation>The code {code} (COG {source}) corresponds to the commune {commune} of COG {target}.</translation>
        </message>
        <message>
            <source>Le code {code} n'est pas un code commune du COG {first} à {last}, mais c'est un code postal : la colonne contient peut-être des codes postaux au lieu de codes INSEE.</source>
            <translation>The code {code} is not a commune code of COG {first} to {last}, but it is a postal code: the column may hold postal codes instead of INSEE codes.</translation>
        </message>
        <message>
            <source>{matched} codes sur {total} sont des communes du COG {vintage} ; {missing} communes de ce millésime manquent dans les départements couverts.</source>
            <translation>{matched} codes out of {total} are communes of COG {vintage}; {missing} communes of this vintage are missing in the départements covered.</translation>
        </message>
        <message>
            <source>{matched} codes sur {total} sont des communes du COG {vintage}.</source>
            <translation>{matched} codes out of {total} are communes of COG {vintage}.</translation>
        </message>
        <message>
            <source>Millésime du COG {vintage} non disponible : choisissez un millésime de {first} à {last}.</source>
            <translation>COG vintage {vintage} not available: choose a vintage from {first} to {last}.</translation>
        </message>
        <message>
            <source>Le code {code} (COG {source}) n'a pas de successeur connu dans le COG {target}.</source>
            <translation>The code {code} (COG {source}) has no known successor in COG {target}.</translation>
        </message>
        <message>
            <source>Le territoire de {code} (COG {source}) correspond à plusieurs communes du COG {target} : {communes}. Choisissez, ou répartissez les valeurs.</source>
            <translation>The territory of {code} (COG {source}) corresponds to several communes of COG {target}: {communes}. Choose one, or split the values.</translation>
        </message>
        <message>
            <source>Les millésimes {vintages} correspondent aussi bien : leurs codes ne diffèrent pas pour ces communes ; le plus récent ({vintage}) est retenu.</source>
            <translation>The vintages {vintages} match equally well: their codes do not differ for these communes; the most recent one ({vintage}) is chosen.</translation>
        </message>
        <message>
            <source>Arrondissement municipal de {code} {name}.</source>
            <translation>Municipal arrondissement of {code} {name}.</translation>
        </message>
        <message>
            <source>{unmatched} codes ne sont pas des communes du COG {vintage}, dont {older} anciens codes de communes fusionnées avant {vintage} : la couche est probablement antérieure à {vintage} ; convertissez-la.</source>
            <translation>{unmatched} codes are not communes of COG {vintage}, including {older} former codes of communes merged before {vintage}: the layer probably predates {vintage}; convert it.</translation>
        </message>
        <message>
            <source>{unmatched} codes ne sont pas des communes du COG {vintage}.</source>
            <translation>{unmatched} codes are not communes of COG {vintage}.</translation>
        </message>
        <message>
            <source>Erreur inattendue pendant {action} : le détail est dans le journal des messages, onglet « Données et territoires ». Réessayez ; si l'erreur revient, signalez-la sur {tracker} en joignant ce détail.</source>
            <translation>Unexpected error while {action}: the details are in the Log Messages panel, « Données et territoires » tab. Try again; if the error comes back, report it at {tracker} with these details.</translation>
        </message>
    </context>
</TS>
