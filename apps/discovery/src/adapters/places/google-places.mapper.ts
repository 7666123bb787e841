import type { BusinessEnrichmentDto, DiscoveredBusinessDto } from '@rcp/contracts';

/** A place as Places API (New) returns it (the fields discovery asks for). */
export interface GooglePlace {
  id: string;
  displayName?: { text: string; languageCode?: string };
  formattedAddress?: string;
  location?: { latitude: number; longitude: number };
  types?: string[];
  primaryType?: string;
  websiteUri?: string;
  nationalPhoneNumber?: string;
  rating?: number;
  userRatingCount?: number;
  businessStatus?: string;
  regularOpeningHours?: { weekdayDescriptions?: string[] };
  googleMapsUri?: string;
}

const isHttpUrl = (value: string | undefined) => !!value && /^https?:\/\//i.test(value);

/** Keeps only places with an id, a name and a location; a non-http website is dropped. */
export function toDiscoveredBusiness(
  place: GooglePlace,
  category: string,
): DiscoveredBusinessDto | null {
  if (!place.id || !place.displayName?.text || !place.location) return null;
  return {
    placeId: place.id,
    name: place.displayName.text.slice(0, 500),
    category,
    primaryType: place.primaryType,
    types: place.types?.slice(0, 50),
    address: place.formattedAddress,
    latitude: place.location.latitude,
    longitude: place.location.longitude,
    website: isHttpUrl(place.websiteUri) ? place.websiteUri : undefined,
    phone: place.nationalPhoneNumber,
    rating: place.rating,
    userRatingCount: place.userRatingCount,
  };
}

export function toEnrichment(place: GooglePlace): BusinessEnrichmentDto {
  return {
    placeId: place.id,
    phone: place.nationalPhoneNumber,
    website: isHttpUrl(place.websiteUri) ? place.websiteUri : undefined,
    openingHours: place.regularOpeningHours?.weekdayDescriptions?.slice(0, 14),
    businessStatus: place.businessStatus,
    details: {
      rating: place.rating,
      userRatingCount: place.userRatingCount,
      googleMapsUri: place.googleMapsUri,
    },
  };
}
